-- The most recent fetch runs, newest first.
-- params: $limit INTEGER
-- columns: run_id BIGINT, source VARCHAR, list_date DATE, trigger VARCHAR, started_at TIMESTAMP,
--          duration_ms BIGINT, status VARCHAR, entries_added INTEGER, revision INTEGER,
--          pages INTEGER, error VARCHAR
select
    run_id,
    source,
    list_date,
    trigger,
    started_at,
    duration_ms,
    status,
    entries_added,
    revision,
    pages,
    error
from fetch_runs
order by run_id desc
limit $limit
