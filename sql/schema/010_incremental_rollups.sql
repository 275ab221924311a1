-- What the rollups were last built from, so a rebuild can redo only the list days that changed:
-- the highest payload id among the snapshots then, and each paper's tag state then.
alter table rollup_state add column payload_max bigint;

create table rollup_tagged (
    paper_id varchar not null,
    text_md5 varchar not null,
    lexicon_version varchar not null
);
