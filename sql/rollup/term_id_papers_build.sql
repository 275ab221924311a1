-- Every paper's term keys and whether each ends a phrase somewhere in the paper (the view
-- paper_term_keys, sql/schema/040), read once into the temporary table term_id_papers (one row
-- per paper and key) for the Rollup stage's keyphrase learning (rollup/term_keys_build.sql,
-- rollup/term_stats_rebuild.sql) and the full rebuild (rollup/term_daily_insert.sql). A key is
-- there by its id, key_id = hash('term', key): the id of the tag the key is when it is a concept
-- of its own (tags, sql/schema/007). At a million papers the table holds 50 million rows; without
-- the keys' text it is built, grouped and joined in about half the time. Where a statement needs
-- a key's text it joins term_key_names (rollup/term_keys_build.sql) or term_names
-- (rollup/term_stats_rebuild.sql, rollup/term_names_build.sql) by the id. A paper is there by its
-- row of paper_terms (paper_row); the temporary table paper_rows names the row of each paper, with
-- its ai_keywords. The caller runs this in one transaction, so the two agree on the rows.
-- rollup/term_key_papers_drop.sql drops them.
-- params: none
-- columns: none
create or replace temp table paper_rows as
select
    rowid as paper_row,
    paper_id,
    ai_terms
from paper_terms;

create or replace temp table term_id_papers as
select
    paper_row,
    hash('term', key) as key_id,
    ends
from paper_term_keys;
