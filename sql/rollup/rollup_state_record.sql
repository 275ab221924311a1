-- After a rebuild: brings rollup_tagged in step with tag_state, changing only the rows that
-- changed, and records what the rollups were built from (rollup_state.sql) and how many papers
-- each lexicon version tagged then (rollup_tag_versions, read by rollup/tag_versions.sql).
-- params: $name VARCHAR, $signature VARCHAR, $learned_papers BIGINT, $learned_lexicon VARCHAR
delete from rollup_tagged r
where not exists (
    select 1 from tag_state t
    where t.paper_id = r.paper_id and t.text_md5 = r.text_md5 and t.lexicon_version = r.lexicon_version
      and t.terms_version is not distinct from r.terms_version);
insert into rollup_tagged
select t.paper_id, t.text_md5, t.lexicon_version, t.terms_version
from tag_state t
where not exists (
    select 1 from rollup_tagged r
    where r.paper_id = t.paper_id and r.text_md5 = t.text_md5 and r.lexicon_version = t.lexicon_version
      and r.terms_version is not distinct from t.terms_version);
insert or replace into rollup_state (name, signature, built_at, payload_max, learned_papers, learned_lexicon)
values ($name, $signature, now()::timestamp, (select coalesce(max(payload_id), 0) from snapshots), $learned_papers, $learned_lexicon);
delete from rollup_tag_versions;
insert into rollup_tag_versions
select
    t.lexicon_version,
    count(*) as papers
from papers p
left join tag_state t
  on t.paper_id = p.paper_id
group by t.lexicon_version;
