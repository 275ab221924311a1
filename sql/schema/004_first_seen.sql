-- Rollup state: derived tables rebuilt when the data they come from changed, recognized by a
-- signature of the snapshots and tags they were built from.
create table rollup_state (
    name varchar primary key,
    signature varchar not null,
    built_at timestamp not null
);

-- The first list date of every tag (the earliest first listing of a paper carrying it).
create table tag_first_seen (
    kind varchar not null,
    tag varchar not null,
    first_seen date not null
);
