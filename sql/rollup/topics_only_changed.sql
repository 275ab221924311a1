-- Whether what changed since the rollups were built is the papers' topics alone: every paper
-- tagged then is tagged now and the other way round, from the same text and with the same terms
-- version (sql/schema/028, 029), and no list was stored or revised since. Then only the topics'
-- rows of tags and tag_daily are made again (rollup/topic_rollup_rebuild.sql).
-- params: none
-- columns: topics_only BOOLEAN
select
    exists (select 1 from tag_state)
    and not exists (
        select 1
        from tag_state t
        full join rollup_tagged r
          on r.paper_id = t.paper_id
        where t.paper_id is null
           or r.paper_id is null
           or t.text_md5 <> r.text_md5
           or t.terms_version is null
           or t.terms_version is distinct from r.terms_version)
    and not exists (
        select source, list_date, max(revision) from snapshots group by source, list_date
        except
        select source, list_date, revision from rollup_revisions)
    as topics_only
