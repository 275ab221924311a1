-- The papers listed on the days in the temporary table rollup_days, as the temporary table
-- rollup_days_papers: those whose terms rollup/term_rows_of_days.sql finds.
-- params: none
-- columns: none
create or replace temp table rollup_days_papers as
select distinct paper_id
from current_entries
where (source, list_date) in (select source, list_date from rollup_days)
