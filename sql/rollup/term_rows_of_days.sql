-- The rows of paper_terms that hold the terms of the papers in rollup_days_papers
-- (rollup/rollup_days_papers.sql), in order: a day's new papers are stored together, as
-- neighbouring rows, which rollup/term_key_papers_build_rows.sql reads a range at a time.
-- params: none
-- columns: row_id BIGINT
select rowid as row_id
from paper_terms
where paper_id in (select paper_id from rollup_days_papers)
order by rowid
