-- Papers per keyword (found in the paper's text) per period, as a share of the distinct papers listed in the period,
-- with the period's coverage. Periods start on their first day (ISO weeks on Monday). A
-- period without any list has no rows (a gap, not a zero); in a period with lists, a chosen
-- tag that no paper carries has papers = 0 (and so does a tag named in $names). $top keeps the tags with the most papers over
-- the whole range (0 keeps all); $names, if not empty, keeps only the tags it lists
-- (separated by chr(31)). days_expected counts weekdays (lists appear on weekdays) in the
-- period that fall within the range and within the stored lists' first and last day.
-- params: $from DATE, $to DATE, $grain VARCHAR (day|week|month), $top INTEGER, $names VARCHAR
-- columns: period DATE, term VARCHAR, papers BIGINT, share DOUBLE, listed BIGINT,
--          days_listed BIGINT, days_expected BIGINT
with listed as (
    select distinct
        date_trunc($grain, list_date)::date as period,
        list_date,
        paper_id
    from current_entries
    where list_date between $from and $to
),
bounds as (
    select
        greatest($from, min(list_date)) as first_day,
        least($to, max(list_date)) as last_day
    from listed
),
expected as (
    select
        date_trunc($grain, d)::date as period,
        count(*) filter (where isodow(d) <= 5) as days_expected
    from bounds b,
        range(b.first_day, b.last_day + interval 1 day, interval 1 day) as r(d)
    group by 1
),
totals as (
    select
        l.period,
        count(distinct l.paper_id) as listed,
        count(distinct l.list_date) as days_listed,
        any_value(e.days_expected) as days_expected
    from listed l
    left join expected e
      on e.period = l.period
    group by l.period
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
