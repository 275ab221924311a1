-- term_key_papers (rollup/term_key_papers_build.sql) for the papers in the temporary table
-- rollup_days_papers (rollup/rollup_days_papers.sql) only, picked out of every paper's keys: what
-- rollup/rollup_days_rebuild.sql reads when the concept map is not learned again and the papers'
-- rows are too scattered to read by ranges (rollup/term_key_papers_build_rows.sql).
-- params: none
-- columns: none
create or replace temp table term_key_papers as
select
    paper_row,
    key,
    ends
from paper_term_keys
where paper_id in (select paper_id from rollup_days_papers);
