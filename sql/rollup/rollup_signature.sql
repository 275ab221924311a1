-- What derived rollup tables depend on: snapshots and tags. Any import, revision or retag
-- changes it (a retag with another lexicon changes it even when the clock reads the same).
-- params: none
-- columns: signature VARCHAR
select
    concat_ws(':',
        (select count(*) from snapshots),
        (select coalesce(max(created_at)::varchar, '') from snapshots),
        (select count(*) from tag_state),
        (select coalesce(max(tagged_at)::varchar, '') from tag_state),
        (select coalesce(bit_xor(hash(paper_id, lexicon_version, text_md5)), 0) from tag_state),
        -- Tag ids are hash(kind, tag) (sql/schema/007); another hash function means new ids.
        hash('term', 'LoRA')) as signature
