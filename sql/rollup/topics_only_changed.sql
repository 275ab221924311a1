-- Whether what changed since the rollups were built is the papers' topics alone: every paper
-- tagged then is tagged now and the other way round, from the same text and with the same terms
-- version (sql/schema/028, 029), and no list was stored or revised since. Then only the topics'
-- rows of tags and tag_daily are made again (rollup/topic_rollup_rebuild.sql). Reads the
-- temporary table rollup_changed (rollup/rollup_changed_create.sql): a paper whose tag state
-- is as it was is tagged now and then alike.
-- params: none
-- columns: topics_only BOOLEAN
select
    exists (select 1 from tag_state)
    and not exists (select 1 from tag_state where terms_version is null)
    and not exists (
        select paper_id
        from rollup_changed
        group by paper_id
        having count(*) filter (where side = 'now') <> 1
            or count(*) filter (where side = 'then') <> 1
            or min(text_md5) <> max(text_md5)
            or count(terms_version) <> 2
            or min(terms_version) <> max(terms_version))
    and not exists (
        select source, list_date, max(revision) from snapshots group by source, list_date
        except
        select source, list_date, revision from rollup_revisions)
    as topics_only
