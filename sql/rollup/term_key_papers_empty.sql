-- An empty temporary table term_key_papers (rollup/term_key_papers_build_days.sql), filled a range of
-- rows at a time by rollup/term_key_papers_build_rows.sql.
-- params: none
-- columns: none
create or replace temp table term_key_papers (
    paper_row bigint,
    key varchar,
    ends boolean
);
