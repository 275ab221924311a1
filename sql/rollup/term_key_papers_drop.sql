-- Drops the temporary tables the rollups are rebuilt from once they are rebuilt: term_id_papers,
-- paper_rows and term_names (rollup/term_id_papers_build.sql, rollup/term_names_build.sql,
-- rollup/term_stats_rebuild.sql) or term_key_papers (rollup/term_key_papers_build_days.sql).
-- params: none
drop table if exists term_key_papers;
drop table if exists term_id_papers;
drop table if exists paper_rows;
drop table if exists term_names;
