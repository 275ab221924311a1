-- Drops term_key_papers (rollup/term_key_papers_build.sql) once the rollups are rebuilt from it.
-- params: none
drop table if exists term_key_papers
