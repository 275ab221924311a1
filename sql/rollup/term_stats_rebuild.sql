-- Works out the rows of term_stats (per concept: the form shown, support, and whether it is a
-- keyphrase) and version_stats from every tagged paper, as the temporary tables new_term_stats
-- and new_version_stats, after the concept map new_term_concepts (docs/tagging.md, "Keyphrases").
--
-- display: the lexicon's name for the concept when it has one, else its most used written form.
-- kw_papers: papers with the concept in their text that carry Hugging Face ai_keywords at all;
-- confirmed: those whose ai_keywords name the concept. A concept of one paper is never a
-- keyphrase; with two or more it is one when
--   - the stop list names it: never;
--   - the lexicons name it (keep list, a concept's name or alias, a model family) or it is a
--     model version: always;
--   - else when ai_keywords confirm it in at least $min_confirmed papers and in at least
--     $confirmed_share of (kw_papers + 2) (the 2 keeps a handful of papers from deciding alone);
--   - else never when fewer than $min_end_share of its papers have it end a phrase: it only
--     modifies what follows ("test-time" in "test-time scaling", "multi-hop question" in
--     "multi-hop question answering"; paper_terms.ends);
--   - else never when it ends in a generic head noun (keyphrases.json: "retrieval quality",
--     "memory system") unless ai_keywords name it in $generic_share of (kw_papers + 2);
--   - else, with fewer than $min_evidence papers to judge by, when its display form is a name:
--     one word that starts with a letter or a dimension (2D, 3D, 4D: "4DGS"), of letters and
--     digits ("GPT-5.6"), or with a capital after the first letter ("EnvHarness"); a word that
--     starts with another number is a quantity ("480p", "1st", "30B-A3B") or a fragment of a
--     name ("2-bench" of "VLM^2-Bench").
-- Reads the temporary tables term_id_papers and paper_rows (rollup/term_id_papers_build.sql),
-- those of rollup/term_keys_build.sql and new_term_concepts, and drops those of
-- term_keys_build.sql: this is the last statement of the learning that reads them. Leaves
-- term_names, every concept's name by its tag id, for the full rebuild's counts
-- (rollup/term_daily_move.sql).
-- params: $min_confirmed INTEGER, $confirmed_share DOUBLE, $min_evidence INTEGER, $min_end_share DOUBLE,
--         $generic_share DOUBLE
-- columns: none

create temp table keyphrase_rules as
select
    rule,
    term_key(form) as key,
    concept,
    term_key(concept_form) as concept_key
from term_rules;

-- The keys of concepts of more than one key: the map's keys and the concepts they join. Every
-- other key is a concept of its own, whose counts are its key's (term_key_stats); these few are
-- counted again by paper and concept, so that a paper with two keys of one concept counts once.
create or replace temp table joined_keys as
select key from new_term_concepts
union
select concept from new_term_concepts;

-- The same keys by id (term_id_papers), each with the concept it counts for: a concept's name is
-- never a key of the map, so each id is here once.
create or replace temp table joined_ids as
select
    hash('term', key) as key_id,
    concept
from new_term_concepts
union
select
    hash('term', concept) as key_id,
    concept
from new_term_concepts;

create or replace temp table concept_counts as
with joined as (
    select
        k.paper_row,
        j.concept,
        bool_or(k.ends) as ends
    from term_id_papers k
    join joined_ids j
      on j.key_id = k.key_id
    group by all
),
confirmed as (
    select distinct
        a.paper_row,
        j.concept
    from paper_ai_keys a
    join joined_ids j
      on j.key_id = a.key_id
)
select
    j.concept,
    count(*) as papers,
    count(*) filter (where j.ends) as ends,
    count(*) filter (where w.paper_row is not null) as kw_papers,
    count(*) filter (where k.paper_row is not null) as confirmed
from joined j
left join (select paper_row from paper_rows where ai_terms <> '') w
  on w.paper_row = j.paper_row
left join confirmed k
  on k.paper_row = j.paper_row
 and k.concept = j.concept
group by j.concept
union all
select
    key as concept,
    papers,
    ends,
    kw_papers,
    confirmed
from term_key_stats
where key not in (select key from joined_keys);

-- The form each concept is shown by: its most used form, not counting forms that are only part
-- of a longer phrase of the concept (a form has one key, so its papers are its papers in the
-- concept). A table of its own, not a part of the statement below: joined there while it was
-- being aggregated, the two held more than DuckDB's 1 GiB at once and could not spill (5.1
-- million concepts, one 516 MB file of generated papers).
create or replace temp table concept_forms as
select
    coalesce(c.concept, f.key) as concept,
    arg_min(f.form, (-f.papers, f.form)) as form
from term_key_forms f
left join new_term_concepts c
  on c.key = f.key
anti join (select key from new_term_concepts where reason = 'part_of') p
  on p.key = f.key
group by all;

create or replace temp table new_term_stats as
with counts as (
    select * from concept_counts
),
written as (
    select * from concept_forms
),
named as (
    -- A concept's name in dashboards/keyphrases.json, else a family's name, else a model version as papers write it.
    select
        concept,
        first(name order by rank, name) as name
    from (
        select concept_key as concept, concept as name, 1 as rank from keyphrase_rules where rule = 'alias'
        union all
        select key as concept, concept as name, 2 as rank from keyphrase_rules where rule = 'name' and key = concept_key
        union all
        select term_key(version) as concept, first(version order by papers desc, version) as name, 3 as rank
        from (select version, count(*) as papers from paper_versions group by version)
        group by term_key(version)
    )
    group by concept
),
rules as (
    select
        key as concept,
        bool_or(rule = 'stop') as stopped,
        bool_or(rule in ('keep', 'alias', 'name')) as named
    from keyphrase_rules
    group by key
),
versions as (
    select distinct term_key(version) as concept
    from paper_versions
),
judged as (
    select
        c.concept,
        coalesce(n.name, w.form, c.concept) as display,
        c.papers,
        c.ends,
        c.kw_papers,
        c.confirmed,
        coalesce(r.stopped, false) as stopped,
        coalesce(r.named, false) as named,
        v.concept is not null as version,
        c.confirmed >= $min_confirmed and c.confirmed >= $confirmed_share * (c.kw_papers + 2) as evidenced,
        contains(c.concept, ' ')
            and string_split(c.concept, ' ')[-1] in (select key from keyphrase_rules where rule = 'generic_head')
            and c.confirmed < $generic_share * (c.kw_papers + 2) as generic
    from counts c
    left join written w
      on w.concept = c.concept
    left join named n
      on n.concept = c.concept
    left join rules r
      on r.concept = c.concept
    left join versions v
      on v.concept = c.concept
),
reasoned as (
    select
        *,
        case
            when papers < 2 then 'one paper'
            when stopped then 'stop list'
            when named then 'lexicon'
            when version then 'model version'
            when ends < $min_end_share * papers then 'modifier'
            when generic then 'generic head'
            when evidenced then 'ai_keywords'
            when kw_papers < $min_evidence
                 and not contains(display, ' ')
                 and regexp_matches(display, '^([A-Za-z]|[2-4]D)')
                 and (regexp_matches(display, '[A-Za-z]') and regexp_matches(display, '[0-9]')
                      or regexp_matches(display, '^.+[A-Z]') and regexp_matches(display, '[a-z]')) then 'name'
            else 'no keyphrase evidence'
        end as reason
    from judged
)
select
    concept,
    display,
    papers,
    ends,
    kw_papers,
    confirmed,
    reason not in ('one paper', 'stop list', 'modifier', 'generic head', 'no keyphrase evidence') as keyphrase,
    reason
from reasoned;

create or replace temp table new_version_stats as
with forms as (
    select
        version_key(version) as key,
        version,
        family,
        count(distinct paper_id) as papers
    from paper_versions
    group by all
),
support as (
    select
        version_key(version) as key,
        count(distinct paper_id) as papers
    from paper_versions
    group by all
)
select
    f.key,
    first(f.version order by f.papers desc, f.version) as display,
    first(f.family order by f.papers desc, f.family) as family,
    any_value(s.papers) as papers
from forms f
join support s
  on s.key = f.key
group by f.key;

-- Every concept's name by its tag id: the names of the terms the full rebuild counts.
create or replace temp table term_names as
select
    hash('term', concept) as tag_id,
    concept as tag
from new_term_stats;

drop table keyphrase_rules;
drop table joined_keys;
drop table joined_ids;
drop table concept_counts;
drop table concept_forms;
drop table term_key_forms;
drop table term_key_names;
drop table paper_ai_keys;
drop table term_key_stats;
