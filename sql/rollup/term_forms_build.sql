-- Every paper's terms as written, with their keys (the view paper_term_forms, sql/schema/013)
-- and whether the form ends a phrase somewhere in the paper (paper_terms.ends), read once into
-- the temporary table term_forms for the Rollup stage's keyphrase queries and the rebuild that
-- follows them (rollup/term_concept_edges.sql, rollup/term_stats_rebuild.sql,
-- rollup/rollup_tables_rebuild.sql).
-- params: none
-- columns: none
create or replace temp table term_forms as
select
    f.paper_id,
    f.form,
    f.key,
    e.paper_id is not null as ends
from paper_term_forms f
left join (
    select
        paper_id,
        unnest(string_split(ends, chr(31))) as form
    from paper_terms
    where ends <> ''
) e
  on e.paper_id = f.paper_id
 and e.form = f.form;
