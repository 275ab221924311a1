-- One week's headline: distinct papers listed, how many of them were listed for the first time
-- that week, and the list days, in one source's lists ('' = every source). Reads the rollup
-- tables (fresh before this runs).
-- params: $from DATE, $to DATE, $source VARCHAR
-- columns: listed BIGINT, new_papers BIGINT, days_listed BIGINT
with week as (
    select distinct
        paper_id,
        list_date
    from current_listings
    where list_date between $from and $to
      and ($source = '' or source = $source)
),
first_listed as (
    select
        paper_id,
        min(list_date) as first_listed
    from current_listings
    where paper_id in (select paper_id from week)
      and ($source = '' or source = $source)
    group by paper_id
)
select
    count(distinct w.paper_id) as listed,
    count(distinct w.paper_id) filter (where f.first_listed >= $from) as new_papers,
    count(distinct w.list_date) as days_listed
from week w
join first_listed f
  on f.paper_id = w.paper_id
