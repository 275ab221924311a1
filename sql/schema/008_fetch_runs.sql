-- Stage 1, Fetch: one row per attempt to fetch one list date from a live source, whoever asked
-- (the schedule, the start-up catch-up, `trendlens fetch`, POST /api/fetch). Never updated.
create sequence fetch_run_ids start 1;

create table fetch_runs (
    run_id bigint primary key default nextval('fetch_run_ids'),
    source varchar not null,
    list_date date not null,
    -- schedule | start-up | command | api
    trigger varchar not null,
    started_at timestamp not null,
    duration_ms bigint not null,
    -- stored (new snapshot) | revised | unchanged | no-list (the source had no list that day)
    -- | quarantined (an answer that is not a list, kept in quarantine) | failed (no usable answer)
    status varchar not null,
    entries_added integer not null,
    revision integer,
    pages integer,
    error varchar
);
