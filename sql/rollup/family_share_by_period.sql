-- Papers per model family per period, as a share of the distinct papers listed in the period,
-- with the period's coverage. Periods start on their first day (ISO weeks on Monday). A
-- period without any list has no rows (a gap, not a zero); in a period with lists, a chosen
-- tag that no paper carries has papers = 0 (and so does a tag named in $names). $top keeps the tags with the most papers over
-- the whole range (0 keeps all); $names, if not empty, keeps only the tags it lists
-- (separated by chr(31)). Coverage comes from the period_coverage macro (sql/schema/006).
-- params: $from DATE, $to DATE, $grain VARCHAR (day|week|month), $top INTEGER, $names VARCHAR
-- columns: period DATE, family VARCHAR, papers BIGINT, share DOUBLE, listed BIGINT,
--          days_listed BIGINT, days_expected BIGINT
with listed as (
    select * from listed_in_range($from, $to, $grain)
),
totals as (
    select * from period_coverage($from, $to, $grain)
),
tagged as (
    select distinct
        l.period,
        g.family,
        l.paper_id
    from listed l
    join paper_families g
      on g.paper_id = l.paper_id
    where ($names = '' or list_contains(string_split($names, chr(31)), g.family))
),
chosen as (
    select
        family
    from (
        select
            family
        from tagged
        group by family
        order by count(distinct paper_id) desc, family
        limit case when $top > 0 then $top else 1000000000 end
    )
    union
    -- Tags asked for by name come back even when no paper in the range carries them.
    select
        unnest(string_split($names, chr(31))) as family
    where $names <> ''
),
counts as (
    select
        period,
        family,
        count(*) as papers
    from tagged
    group by period, family
)
select
    n.period,
    c.family,
    coalesce(k.papers, 0) as papers,
    coalesce(k.papers, 0) / n.listed as share,
    n.listed,
    n.days_listed,
    coalesce(n.days_expected, 0) as days_expected
from totals n
cross join chosen c
left join counts k
  on k.period = n.period
 and k.family = c.family
order by n.period, papers desc, c.family
