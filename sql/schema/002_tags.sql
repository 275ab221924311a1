-- Stage 4, Tag: derived tables, rebuilt by `trendlens retag`. tag_state records, per paper,
-- the text and the lexicon version its tags were made from, so stale tags can be found.

create table tag_state (
    paper_id varchar not null,
    text_md5 varchar not null,
    lexicon_version varchar not null,
    tagged_at timestamp not null
);

-- One row per paper. terms: the keywords found in its title and abstract (what rollups count);
-- ai_terms: its ai_keywords, folded the same way (older lists have none, so they are evidence
-- to inspect, never the only source of a term).
create table paper_terms (
    paper_id varchar not null,
    terms varchar[] not null,
    ai_terms varchar[] not null
);

create table paper_families (
    paper_id varchar not null,
    family varchar not null,
    member varchar not null,
    evidence varchar not null
);

create table paper_topics (
    paper_id varchar not null,
    topic varchar not null
);
