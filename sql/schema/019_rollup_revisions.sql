-- The snapshot revision of each (source, list day) the rollups were last built from. A day
-- whose current revision differs is rolled up again. Payload ids alone cannot tell: a new
-- snapshot may reuse a stored payload (the same file imported under a second source). Cleared
-- rollup state: the next build is full and fills this table.
create table rollup_revisions (
    source varchar not null,
    list_date date not null,
    revision integer not null
);

delete from rollup_state;
