-- Table macros shared by the per-period queries in sql/rollup/: the papers listed per period,
-- and each period's coverage. One definition of "listed in the period" and of "days expected".

-- Distinct (period, list day, paper) of the current lists between two days.
create macro listed_in_range(from_day, to_day, grain) as table
select distinct
    date_trunc(grain, list_date)::date as period,
    list_date,
    paper_id
from current_entries
where list_date between from_day and to_day;

-- Per period with a list: distinct papers listed, days with a list, and weekdays expected
-- (within the range and within the stored lists' first and last day; lists appear on weekdays).
create macro period_coverage(from_day, to_day, grain) as table
with listed as (
    select * from listed_in_range(from_day, to_day, grain)
),
bounds as (
    select
        greatest(from_day, min(list_date)) as first_day,
        least(to_day, max(list_date)) as last_day
    from listed
),
expected as (
    select
        date_trunc(grain, d)::date as period,
        count(*) filter (where isodow(d) <= 5) as days_expected
    from bounds b,
        range(b.first_day, b.last_day + interval 1 day, interval 1 day) as r(d)
    group by 1
)
select
    l.period,
    count(distinct l.paper_id) as listed,
    count(distinct l.list_date) as days_listed,
    coalesce(any_value(e.days_expected), 0) as days_expected
from listed l
left join expected e
  on e.period = l.period
group by l.period;
