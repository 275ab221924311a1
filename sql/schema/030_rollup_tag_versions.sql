-- How many papers were tagged with each lexicon version (null: not tagged) when the rollups were
-- last built, so that a read command, which brings the rollups up to date first anyway, can warn
-- about stale tags without counting every paper against tag_state again (0.4–0.5 s at a million
-- papers). Written with rollup_state (sql/rollup/rollup_state_record.sql); filled here from the
-- data as it is, which is what the rollups were built from whenever they are current.
create table rollup_tag_versions (
    lexicon_version varchar,
    papers bigint not null
);

insert into rollup_tag_versions
select
    t.lexicon_version,
    count(*) as papers
from papers p
left join tag_state t
  on t.paper_id = p.paper_id
group by t.lexicon_version;
