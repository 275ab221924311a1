-- Daily rollups for emergence and bursts, derived from the current lists and the tags and
-- rebuilt together with tag_first_seen when those change (see Rollup/RollupTables.cs).

-- Per list day and tag: how many of that day's papers carry the tag.
create table tag_daily (
    kind varchar not null,
    tag varchar not null,
    list_date date not null,
    papers bigint not null
);

-- Per list day: how many papers are listed.
create table listed_daily (
    list_date date not null,
    papers bigint not null
);
