-- The snapshot revision of each (source, list day) the rollups were last built from. A day
-- whose current revision differs is rolled up again. Comparing payload ids missed a new
-- snapshot that reuses a stored payload (the same file imported under a second source, or a
-- list that changes back to an earlier answer). Cleared rollup state: the next build is full
-- and fills this table.
create table rollup_revisions (
    source varchar not null,
    list_date date not null,
    revision integer not null
);

delete from rollup_state;
