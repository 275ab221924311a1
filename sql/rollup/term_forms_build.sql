-- Every paper's terms as written, with their keys and whether each ends a phrase somewhere in
-- the paper (the view paper_term_forms, sql/schema/013), read once into the temporary table
-- term_forms for the Rollup stage's keyphrase queries and the rebuild that follows them
-- (rollup/term_concept_edges.sql, rollup/term_stats_rebuild.sql, rollup/rollup_tables_rebuild.sql).
-- params: none
-- columns: none
create or replace temp table term_forms as
select
    paper_id,
    form,
    key,
    ends
from paper_term_forms;
