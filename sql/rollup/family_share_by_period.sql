-- Papers per model family per period, as a share of the distinct papers listed in the period.
-- Periods start on the first day (ISO weeks start on Monday). $top keeps the tags with the
-- most papers over the whole range (0 keeps all); $names, if not empty, keeps only the
-- tags it lists (separated by chr(31)).
-- params: $from DATE, $to DATE, $grain VARCHAR (day|week|month), $top INTEGER, $names VARCHAR
-- columns: period DATE, family VARCHAR, papers BIGINT, share DOUBLE
with listed as (
    select distinct
        date_trunc($grain, list_date)::date as period,
        paper_id
    from current_entries
    where list_date between $from and $to
),
totals as (
    select
        period,
        count(*) as listed
    from listed
    group by period
),
tagged as (
    select
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
    from tagged
    group by family
    order by count(distinct paper_id) desc, family
    limit case when $top > 0 then $top else 1000000000 end
)
select
    t.period,
    t.family,
    count(distinct t.paper_id) as papers,
    count(distinct t.paper_id) / any_value(n.listed) as share
from tagged t
join chosen c
  on c.family = t.family
join totals n
  on n.period = t.period
group by t.period, t.family
order by t.period, papers desc, t.family
