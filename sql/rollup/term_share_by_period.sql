-- Papers per keyword (found in the paper's text) per period, as a share of the distinct papers listed in the period,
-- with the period's coverage. Periods start on their first day (ISO weeks on Monday). A
-- period without any list has no rows (a gap, not a zero); in a period with lists, a chosen
-- tag that no paper carries has papers = 0 (and so does a tag named in $names). $top keeps the tags with the most papers over
-- the whole range (0 keeps all); $names, if not empty, keeps only the tags it lists
-- (separated by chr(31)). Coverage comes from the period_coverage macro (sql/schema/006).
-- params: $from DATE, $to DATE, $grain VARCHAR (day|week|month), $top INTEGER, $names VARCHAR
-- columns: period DATE, term VARCHAR, papers BIGINT, share DOUBLE, listed BIGINT,
--          days_listed BIGINT, days_expected BIGINT
with listed as (
    select * from listed_in_range($from, $to, $grain)
),
totals as (
    select * from period_coverage($from, $to, $grain)
),
paper_terms_in_range as materialized (
    -- Only the papers listed in the range are unnested; each paper's terms are distinct, so
    -- count(*) below counts distinct papers.
    select
        paper_id,
        unnest(terms) as term
    from paper_terms
    where paper_id in (select paper_id from listed)
),
tagged as (
    select
        paper_id,
        term
    from paper_terms_in_range
    where ($names = '' or list_contains(string_split($names, chr(31)), term))
),
chosen as (
    select
        term
    from (
        select
            term
        from tagged
        group by term
        order by count(*) desc, term
        limit case when $top > 0 then $top else 1000000000 end
    )
    union
    -- Tags asked for by name come back even when no paper in the range carries them.
    select
        unnest(string_split($names, chr(31))) as term
    where $names <> ''
),
counts as (
    select
        p.period,
        t.term,
        count(*) as papers
    from (
        select distinct
            period,
            paper_id
        from listed
    ) p
    join tagged t
      on t.paper_id = p.paper_id
    join chosen c
      on c.term = t.term
    group by p.period, t.term
)
select
    n.period,
    c.term,
    coalesce(k.papers, 0) as papers,
    coalesce(k.papers, 0) / n.listed as share,
    n.listed,
    n.days_listed,
    coalesce(n.days_expected, 0) as days_expected
from totals n
cross join chosen c
left join counts k
  on k.period = n.period
 and k.term = c.term
order by n.period, papers desc, c.term
