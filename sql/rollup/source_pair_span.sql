-- The days two sources both cover within a range: from the later of their first list days to the
-- earlier of their last. Both are null when either source has no list in the range; first_day is
-- after last_day when their lists do not overlap in time.
-- params: $from DATE, $to DATE, $source VARCHAR, $base VARCHAR
-- columns: first_day DATE, last_day DATE
with spans as (
    select
        source,
        min(list_date) as first_day,
        max(list_date) as last_day
    from listed_daily
    where list_date between $from and $to
      and source in ($source, $base)
    group by source
)
select
    case when count(*) = 2 then max(first_day) end as first_day,
    case when count(*) = 2 then min(last_day) end as last_day
from spans
