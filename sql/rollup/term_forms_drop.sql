-- Drops term_forms (term_forms_build.sql) once the rollups are rebuilt from it.
-- params: none
drop table term_forms
