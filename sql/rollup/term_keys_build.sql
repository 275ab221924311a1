-- Every written form's papers (term_key_forms), every key's text by its id (term_key_names),
-- every paper's ai_keywords as key ids (paper_ai_keys), and per key the counts the keyphrase rules
-- read (term_key_stats), from the papers' terms and the temporary tables term_id_papers and
-- paper_rows (rollup/term_id_papers_build.sql): so the concept map
-- (rollup/term_concept_edges.sql) and the statistics (rollup/term_stats_rebuild.sql) count keys,
-- not every form of every paper again.
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

-- A form has one key, so the keys of the distinct forms are every key of every paper.
create or replace temp table term_key_names as
select distinct
    hash('term', key) as key_id,
    key
from term_key_forms;

-- Two keys with one id would be counted as one: stop instead (not expected with 64-bit ids).
select
    case
        when count(distinct key_id) <> count(*) then error('two term keys share an id; report this')
    end
from term_key_names;

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
        hash('term', term_key(form)) as key_id
    from (select distinct form from forms)
)
select distinct
    f.paper_row,
    k.key_id
from forms f
join keyed k
  on k.form = f.form;

-- kw_papers: the key's papers that carry ai_keywords at all; confirmed: those whose ai_keywords
-- name it. Counted by id, then named.
create or replace temp table term_key_stats as
with counts as (
    select
        k.key_id,
        count(*) as papers,
        count(*) filter (where k.ends) as ends,
        count(*) filter (where w.paper_row is not null) as kw_papers,
        count(*) filter (where a.paper_row is not null) as confirmed
    from term_id_papers k
    left join (select paper_row from paper_rows where ai_terms <> '') w
      on w.paper_row = k.paper_row
    left join paper_ai_keys a
      on a.paper_row = k.paper_row
     and a.key_id = k.key_id
    group by k.key_id
)
select
    n.key,
    c.*
from counts c
left join term_key_names n
  on n.key_id = c.key_id;

-- Every key of a paper is the key of one of its forms; one without its text could not be judged.
select
    case
        when count(*) > 0 then error('a term key without its text; report this')
    end
from term_key_stats
where key is null;
