-- Every written form's papers (term_key_forms), every paper's ai_keywords as keys
-- (paper_ai_keys), and per key the counts the keyphrase rules read (term_key_stats), from the
-- papers' terms and the temporary tables term_key_papers and paper_rows
-- (rollup/term_key_papers_build.sql): so the concept map (rollup/term_concept_edges.sql) and the
-- statistics (rollup/term_stats_rebuild.sql) count keys, not every form of every paper again.
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

-- Keyed by their distinct forms, as the forms above: a paper's ai_keywords repeat across papers.
create or replace temp table paper_ai_keys as
with forms as (
    select
        paper_row,
        unnest(string_split(ai_terms, chr(31))) as form
    from paper_rows
    where ai_terms <> ''
),
keyed as (
    select
        form,
        term_key(form) as key
    from (select distinct form from forms)
)
select distinct
    f.paper_row,
    k.key
from forms f
join keyed k
  on k.form = f.form;

-- kw_papers: the key's papers that carry ai_keywords at all; confirmed: those whose ai_keywords name it.
create or replace temp table term_key_stats as
select
    k.key,
    count(*) as papers,
    count(*) filter (where k.ends) as ends,
    count(*) filter (where w.paper_row is not null) as kw_papers,
    count(*) filter (where a.paper_row is not null) as confirmed
from term_key_papers k
left join (select paper_row from paper_rows where ai_terms <> '') w
  on w.paper_row = k.paper_row
left join paper_ai_keys a
  on a.paper_row = k.paper_row
 and a.key = k.key
group by k.key;
