-- term_forms (rollup/term_forms_build.sql) for the papers listed on the days in the temporary
-- table rollup_days only: what rollup/rollup_days_rebuild.sql reads when the concept map is
-- not learned again.
-- params: none
-- columns: none
create or replace temp table term_forms as
select
    paper_id,
    form,
    key,
    ends
from paper_term_forms
where paper_id in (
    select paper_id
    from current_entries
    where (source, list_date) in (select source, list_date from rollup_days));
