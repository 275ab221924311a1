-- Records one fetch run, whatever its outcome.
-- params: $source VARCHAR, $list_date DATE, $trigger VARCHAR, $started_at TIMESTAMP, $duration_ms BIGINT,
--         $status VARCHAR, $entries_added INTEGER, $revision INTEGER, $pages INTEGER, $error VARCHAR
insert into fetch_runs (source, list_date, trigger, started_at, duration_ms, status, entries_added, revision, pages, error)
values ($source, $list_date, $trigger, $started_at, $duration_ms, $status, $entries_added, $revision, $pages, $error)
