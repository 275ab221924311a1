-- Drops term_key_papers and paper_rows (rollup/term_key_papers_build.sql) once the rollups are
-- rebuilt from them.
-- params: none
drop table if exists term_key_papers;
drop table if exists paper_rows;
