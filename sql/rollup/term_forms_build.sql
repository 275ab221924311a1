-- Every paper's terms as written, with their keys (the view paper_term_forms, sql/schema/013),
-- read once into the temporary table term_forms for the Rollup stage's keyphrase queries
-- (rollup/term_concept_edges.sql, rollup/term_stats_rebuild.sql); dropped after them.
-- params: none
-- columns: none
create or replace temp table term_forms as
select
    paper_id,
    form,
    key
from paper_term_forms;
