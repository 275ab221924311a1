-- Every written form's papers (term_key_forms), every paper's ai_keywords as keys
-- (paper_ai_keys), and per key the counts the keyphrase rules read (term_key_stats), from the
-- papers' terms and the temporary table term_key_papers (rollup/term_key_papers_build.sql): so
-- the concept map (rollup/term_concept_edges.sql) and the statistics
-- (rollup/term_stats_rebuild.sql) count keys, not every form of every paper again.
-- params: none
-- columns: none
-- A paper has each form once and a form has one key: a form's rows are its papers, and only the
-- distinct forms are keyed.
create or replace temp table term_key_forms as
select
    term_key(form) as key,
    form,
    papers
from (
    select
        form,
        count(*) as papers
    from (
        select unnest(string_split(terms, chr(31))) as form
        from paper_terms
        where length(terms) > 0
    )
    group by form
);

create or replace temp table paper_ai_keys as
select distinct
    paper_id,
    term_key(unnest(string_split(ai_terms, chr(31)))) as key
from paper_terms
where ai_terms <> '';

-- kw_papers: the key's papers that carry ai_keywords at all; confirmed: those whose ai_keywords name it.
create or replace temp table term_key_stats as
select
    k.key,
    count(*) as papers,
    count(*) filter (where k.ends) as ends,
    count(*) filter (where w.paper_id is not null) as kw_papers,
    count(*) filter (where a.paper_id is not null) as confirmed
from term_key_papers k
left join (select paper_id from paper_terms where ai_terms <> '') w
  on w.paper_id = k.paper_id
left join paper_ai_keys a
  on a.paper_id = k.paper_id
 and a.key = k.key
group by k.key;
