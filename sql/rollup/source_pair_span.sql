-- The days two sources both cover within a range, and how many list days of the two fall in the
-- range but outside those days. A source covers the days from its first list to its last, over
-- all its stored lists (not only those in the range: one week is compared the same whichever range
-- holds it), and the weekend after a last list on a Friday: lists are expected on weekdays, so a
-- list without weekend lists still covers the week that another source's Saturday and Sunday
-- complete. first_day is the later of the two starts or $from, last_day the earlier of the two ends
-- or $to. Both are null when either source has no list in the range; first_day is after last_day
-- when their lists do not overlap in time.
-- params: $from DATE, $to DATE, $source VARCHAR, $base VARCHAR
-- columns: first_day DATE, last_day DATE, left_out BIGINT
with spans as (
    select
        source,
        min(list_date) as first_list,
        max(list_date) as last_list,
        count(*) filter (where list_date between $from and $to) as in_range
    from listed_daily
    where source in ($source, $base)
    group by source
),
covered as (
    select
        source,
        in_range,
        first_list as first_day,
        last_list + case isodow(last_list) when 5 then 2 when 6 then 1 else 0 end as last_day
    from spans
),
span as (
    select
        case when count(*) filter (where in_range > 0) = 2 then greatest(max(first_day), $from) end as first_day,
        case when count(*) filter (where in_range > 0) = 2 then least(min(last_day), $to) end as last_day
    from covered
)
select
    s.first_day,
    s.last_day,
    (
        select count(*)
        from listed_daily d
        where d.source in ($source, $base)
          and d.list_date between $from and $to
          and not (d.list_date between s.first_day and s.last_day)
    ) as left_out
from span s
