-- Adds to the temporary table term_forms (rollup/term_forms_build.sql; made empty by
-- rollup/term_forms_empty.sql) the terms of the papers in rollup_days_papers
-- (rollup/rollup_days_papers.sql) among the rows $first to $last of paper_terms.
-- params: $first BIGINT, $last BIGINT
-- columns: none
insert into term_forms
select
    paper_id,
    form,
    key,
    ends
from paper_term_forms_in_rows($first, $last)
where paper_id in (select paper_id from rollup_days_papers)
