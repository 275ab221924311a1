-- One key per concept, keyphrases and named model versions (docs/tagging.md, "Keywords").
-- The Tag stage now also writes each paper's acronym definitions and the model versions it
-- names; the Rollup stage learns from all papers which keys are one concept and which concepts
-- are keyphrases (term_concepts, term_stats), and counts terms per concept.

-- Acronyms the paper defines, as "acronym U+001E long form" joined by U+001F ('' for none).
alter table paper_terms add column definitions varchar default '';

-- Which of the paper's terms end a phrase somewhere in its text: one character per term, in the
-- order of terms, '1' or '0'. A term that never does only modifies what follows it ("test-time"
-- in "test-time scaling").
alter table paper_terms add column ends varchar default '';

-- Named model versions as the paper writes them (Qwen2.5-VL, Llama 4, o3-mini), with their family.
create table paper_versions (
    paper_id varchar not null,
    version varchar not null,
    family varchar not null
);

-- The normalized identity of a term as stored by the Tag stage (already singular): case and
-- hyphen/space variants are one key ("Text-to-Image" = "text-to-image" = "text to image"),
-- except a word written all in capitals, which stays apart from the ordinary word it spells
-- ("CLIP" the model, "clip" a video clip).
create macro term_key(form) as
    case when regexp_full_match(form, '[A-Z]{2,}') then form else replace(lower(form), '-', ' ') end;

-- The identity of a model version: "Llama 4" = "Llama-4" = "LLaMA4" = "llama4".
create macro version_key(name) as
    regexp_replace(lower(name), '[^a-z0-9.]', '', 'g');

-- What the lexicons say of terms, written by the Tag stage for the Rollup stage (the rules of
-- the lexicon version that last tagged papers). rule is 'alias' (form belongs to the concept
-- named), 'stop' (never ranked), 'keep' (always a keyphrase), 'generic_head' (a phrase ending in
-- this word needs strong evidence) or 'name' (a model family's name or alias: a keyphrase,
-- never part of another concept). form and concept_form are folded as
-- terms are (Terms.Key); compare them through term_key(). concept is the name as written.
create table term_rules (
    lexicon_version varchar not null,
    rule varchar not null,
    form varchar not null,
    concept varchar,
    concept_form varchar
);

-- Derived by the Rollup stage (Rollup/Keyphrases.cs). A term key listed here counts under
-- another key's concept; every other key is a concept of its own.
create table term_concepts (
    key varchar not null,
    concept varchar not null,
    reason varchar not null
);

-- Per concept: the form shown for it, its support, its evidence of being a keyphrase.
create table term_stats (
    concept varchar not null,
    display varchar not null,
    papers bigint not null,
    ends bigint not null,
    kw_papers bigint not null,
    confirmed bigint not null,
    keyphrase boolean not null,
    reason varchar not null
);

-- Per model version: the form shown for it and its family.
create table version_stats (
    key varchar not null,
    display varchar not null,
    family varchar not null,
    papers bigint not null
);

-- Terms are counted per concept; versions are a tag kind of their own.
drop view paper_tags;

-- Every term of every paper as written (one row per paper and form), with its key and whether
-- it ends a phrase somewhere in the paper.
create view paper_term_forms as
select
    paper_id,
    form,
    term_key(form) as key,
    substr(ends, position, 1) = '1' as ends
from (
    select
        paper_id,
        ends,
        unnest(string_split(terms, chr(31))) as form,
        unnest(range(1, len(string_split(terms, chr(31))) + 1)) as position
    from paper_terms
    where terms <> ''
);

create view paper_term_keys as
select distinct
    paper_id,
    key
from paper_term_forms;

create view paper_tags as
select distinct k.paper_id, 'term' as kind, coalesce(c.concept, k.key) as tag
from paper_term_keys k
left join term_concepts c
  on c.key = k.key
union all
select paper_id, 'family' as kind, family as tag from paper_families
union all
select distinct paper_id, 'version' as kind, version_key(version) as tag from paper_versions
union all
select paper_id, 'topic' as kind, topic as tag from paper_topics;

-- The name a tag is shown by: a term's most used form, a version's as papers write it.
create view tag_display as
select 'term' as kind, concept as tag, display from term_stats
union all
select 'version' as kind, key as tag, display from version_stats;

delete from rollup_state;
