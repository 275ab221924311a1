-- Per period: the distinct papers listed, the days with a list and the weekdays expected
-- (within the range and within the stored lists' first and last day). Periods start on their
-- first day (ISO weeks on Monday); periods without any list have no row.
-- params: $from DATE, $to DATE, $grain VARCHAR (day|week|month)
-- columns: period DATE, papers_listed BIGINT, days_listed BIGINT, days_expected BIGINT
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
)
select
    l.period,
    count(distinct l.paper_id) as papers_listed,
    count(distinct l.list_date) as days_listed,
    coalesce(any_value(e.days_expected), 0) as days_expected
from listed l
left join expected e
  on e.period = l.period
group by l.period
order by l.period
