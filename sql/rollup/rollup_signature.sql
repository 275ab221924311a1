-- What derived rollup tables depend on: snapshots and tags. Any import, revision or retag
-- changes it.
-- params: none
-- columns: signature VARCHAR
select
    concat_ws(':',
        (select count(*) from snapshots),
        (select coalesce(max(created_at)::varchar, '') from snapshots),
        (select count(*) from tag_state),
        (select coalesce(max(tagged_at)::varchar, '') from tag_state)) as signature
