-- After a rebuild: brings rollup_tagged in step with tag_state, changing only the rows that
-- changed (the temporary table rollup_changed, rollup/rollup_changed_create.sql, which this
-- drops), and records what the rollups were built from (rollup_state.sql) and how many papers
-- each lexicon version tagged then (rollup_tag_versions, read by rollup/tag_versions.sql).
-- params: $name VARCHAR, $signature VARCHAR, $learned_papers BIGINT, $learned_lexicon VARCHAR
delete from rollup_tagged
where paper_id in (select paper_id from rollup_changed where side = 'then');
insert into rollup_tagged
select paper_id, text_md5, lexicon_version, terms_version
from rollup_changed
where side = 'now';
drop table rollup_changed;
insert or replace into rollup_state (name, signature, built_at, payload_max, learned_papers, learned_lexicon)
values ($name, $signature, now()::timestamp, (select coalesce(max(payload_id), 0) from snapshots), $learned_papers, $learned_lexicon);
delete from rollup_tag_versions;
insert into rollup_tag_versions
select lexicon_version, papers
from papers_by_lexicon_version;
