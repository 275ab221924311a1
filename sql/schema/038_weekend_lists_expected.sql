-- A period expects its weekdays and, besides them, every weekend day with a list of the source
-- asked for: a source that lists on Saturdays (arXiv's submissions) would otherwise count a
-- Saturday list against a missing Wednesday and read "5 of 5". Lists expected on weekdays only
-- (the Daily Papers list) read as before. period_coverage is otherwise as in sql/schema/027.

create or replace macro period_coverage(from_day, to_day, grain, src) as table
with days as (
    select
        list_date,
        sum(papers) as listings
    from listed_daily
    where list_date between from_day and to_day
      and (src = '' or source = src)
    group by list_date
),
periods as (
    select
        date_trunc(grain, list_date)::date as period,
        sum(listings) as listings,
        count(*) as days_listed
    from days
    group by 1
),
extra as (
    select
        period,
        sum(n - 1) as extra
    from (
        select
            date_trunc(grain, list_date)::date as period,
            paper_id,
            count(*) as n
        from repeat_listings
        where counted_in = src
          and list_date between from_day and to_day
        group by all
    )
    group by period
),
bounds as (
    select
        greatest(from_day, min(list_date)) as first_day,
        least(to_day, max(list_date)) as last_day
    from listed_daily
    where src = '' or source = src
),
expected as (
    select
        date_trunc(grain, d)::date as period,
        count(*) filter (where isodow(d) <= 5 or d::date in (select list_date from days)) as days_expected
    from bounds b,
        range(b.first_day, b.last_day + interval 1 day, interval 1 day) as r(d)
    group by 1
)
select
    p.period,
    (p.listings - coalesce(x.extra, 0))::bigint as listed,
    p.days_listed,
    coalesce(e.days_expected, 0) as days_expected
from periods p
left join extra x
  on x.period = p.period
left join expected e
  on e.period = p.period;
