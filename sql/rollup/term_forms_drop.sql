-- Drops term_forms and term_key_papers (term_forms_build.sql) once the rollups are rebuilt from
-- them; a rebuild of a few days makes term_forms alone (term_forms_build_days.sql).
-- params: none
drop table term_forms;
drop table if exists term_key_papers
