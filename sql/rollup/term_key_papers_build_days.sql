-- The temporary table term_key_papers (one row per paper and key: its row of paper_terms, the key
-- as text, and whether it ends a phrase somewhere in the paper; sql/schema/040) for the papers in
-- the temporary table rollup_days_papers (rollup/rollup_days_papers.sql) only, picked out of every
-- paper's keys: what rollup/rollup_days_rebuild.sql reads when the papers' rows are too scattered
-- to read by ranges (rollup/term_key_papers_build_rows.sql). The few days' keys are kept as text:
-- their new terms need their names, and the rebuild of a few days finds them there.
-- params: none
-- columns: none
create or replace temp table term_key_papers as
select
    paper_row,
    key,
    ends
from paper_term_keys
where paper_id in (select paper_id from rollup_days_papers);
