-- What derived rollup tables depend on: snapshots and tags. Any import, revision or retag
-- changes it: every tagging is recorded later than the one before (Tagging/Tagger.cs, TaggedAt),
-- so the papers' tags are known by their count and latest time, which every read command reads
-- without reading each paper's row.
-- params: none
-- columns: signature VARCHAR
select
    concat_ws(':',
        (select count(*) from snapshots),
        (select coalesce(max(created_at)::varchar, '') from snapshots),
        (select count(*) from tag_state),
        (select coalesce(max(tagged_at)::varchar, '') from tag_state),
        -- Tag ids are hash(kind, tag) (sql/schema/007); another hash function means new ids.
        hash('term', 'LoRA')) as signature
