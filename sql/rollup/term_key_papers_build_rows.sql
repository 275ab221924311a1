-- Adds to the temporary table term_key_papers (rollup/term_key_papers_build_days.sql; made empty by
-- rollup/term_key_papers_empty.sql) the keys of the papers in rollup_days_papers
-- (rollup/rollup_days_papers.sql) among the rows $first to $last of paper_terms.
-- params: $first BIGINT, $last BIGINT
-- columns: none
insert into term_key_papers
select
    paper_row,
    key,
    ends
from paper_term_keys_in_rows($first, $last)
where paper_id in (select paper_id from rollup_days_papers)
