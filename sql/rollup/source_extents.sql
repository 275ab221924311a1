-- Where two sources' lists are, for saying why they share no period in a range: per source, its
-- list days in the range and the first and last of all its lists.
-- params: $from DATE, $to DATE, $source VARCHAR, $base VARCHAR
-- columns: source VARCHAR, days_in_range BIGINT, first_day DATE, last_day DATE
select
    source,
    count(*) filter (where list_date between $from and $to) as days_in_range,
    min(list_date) as first_day,
    max(list_date) as last_day
from listed_daily
where source in ($source, $base)
group by source
order by source = $base, source
