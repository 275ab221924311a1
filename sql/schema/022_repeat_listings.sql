-- Papers listed more than once, kept by the rollup: period counts (period_coverage here,
-- tag_share_by_period in sql/schema/024) subtract their extra listings instead of grouping every
-- listing of the range by paper, which at a million papers (350,000
-- arXiv listings a year) took most of a per-period share query's time. A paper's listings are
-- its rows in current_listings (one per source and list day).
--
-- counted_in is the source within which the paper is listed more than once, or '' for all
-- sources pooled (a paper on one day of each of two sources is a repeat only there). The rollup
-- rebuilds the rows of the papers on the list days it rebuilds (sql/rollup/repeat_listings_insert.sql).
create table repeat_listings (
    counted_in varchar not null,
    source varchar not null,
    list_date date not null,
    paper_id varchar not null
);

-- Filled from the listings the rollups were built from, as sql/rollup/repeat_listings_insert.sql
-- fills it from a full rebuild's.
insert into repeat_listings
select
    l.source as counted_in,
    l.source,
    l.list_date,
    l.paper_id
from current_listings l
where (l.source, l.paper_id) in (
    select source, paper_id from current_listings group by all having count(*) > 1)
union all
select
    '' as counted_in,
    l.source,
    l.list_date,
    l.paper_id
from current_listings l
where l.paper_id in (
    select paper_id from current_listings group by all having count(*) > 1)
order by list_date;

-- Per period with a list: distinct papers listed (the day's listings from listed_daily, less the
-- extra listings of papers listed more than once in the period), days with a list and weekdays
-- expected (within the range and within the stored lists' first and last day; lists appear on
-- weekdays).
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
    from days
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
    p.period,
    (p.listings - coalesce(x.extra, 0))::bigint as listed,
    p.days_listed,
    coalesce(e.days_expected, 0) as days_expected
from periods p
left join extra x
  on x.period = p.period
left join expected e
  on e.period = p.period;
