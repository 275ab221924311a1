-- The papers listed on the days in the temporary table rollup_days, as the temporary table
-- rollup_days_papers: those whose terms rollup/term_rows_of_days.sql finds. Their rows of
-- paper_terms as the temporary table paper_rows (as rollup/term_id_papers_build.sql has it), which the
-- keys read for them name (term_key_papers_build_days.sql, term_key_papers_build_rows.sql).
-- params: none
-- columns: none
create or replace temp table rollup_days_papers as
select distinct paper_id
from current_entries
where (source, list_date) in (select source, list_date from rollup_days);

create or replace temp table paper_rows as
select
    rowid as paper_row,
    paper_id,
    ai_terms
from paper_terms
where paper_id in (select paper_id from rollup_days_papers);
