-- An empty temporary table term_forms (rollup/term_forms_build.sql), filled a range of rows at a
-- time by rollup/term_forms_build_rows.sql.
-- params: none
-- columns: none
create or replace temp table term_forms as
select
    paper_id,
    form,
    key,
    ends
from paper_term_forms
limit 0
