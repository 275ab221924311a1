-- The list days between $from and $to that a source still lacks: no snapshot and no run that
-- found the source had no list that day. Failed days stay in, so the next run retries them.
-- params: $source VARCHAR, $from DATE, $to DATE
-- columns: list_date DATE
select
    r.d::date as list_date
from range($from::timestamp, $to::timestamp + interval 1 day, interval 1 day) as r(d)
where not exists (
        select 1
        from snapshots s
        where s.source = $source
          and s.list_date = r.d::date)
  and not exists (
        select 1
        from fetch_runs f
        where f.source = $source
          and f.list_date = r.d::date
          and f.status = 'no-list')
order by list_date
