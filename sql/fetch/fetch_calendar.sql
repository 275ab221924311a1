-- Per source and day between $from and $to: what is known about that day's list. present: a
-- snapshot is stored; no-list: the source had none; failed: the latest run failed and nothing
-- is stored; missing: never fetched. Sources are those with a snapshot or a run.
-- params: $from DATE, $to DATE
-- columns: source VARCHAR, list_date DATE, state VARCHAR, runs BIGINT, last_error VARCHAR
with sources as (
    select source from snapshots
    union
    select source from fetch_runs
),
days as (
    select
        s.source,
        r.d::date as list_date
    from sources s,
        range($from::timestamp, $to::timestamp + interval 1 day, interval 1 day) as r(d)
),
runs as (
    select
        source,
        list_date,
        count(*) as runs,
        arg_max(status, run_id) as last_status,
        arg_max(error, run_id) as last_error,
        bool_or(status = 'no-list') as no_list
    from fetch_runs
    where list_date between $from and $to
    group by source, list_date
)
select
    d.source,
    d.list_date,
    case
        when exists (select 1 from snapshots s where s.source = d.source and s.list_date = d.list_date) then 'present'
        when r.no_list then 'no-list'
        when r.last_status in ('failed', 'quarantined') then 'failed'
        else 'missing'
    end as state,
    coalesce(r.runs, 0) as runs,
    r.last_error
from days d
left join runs r
  on r.source = d.source
 and r.list_date = d.list_date
order by d.source, d.list_date
