-- Every paper's term keys and whether each ends a phrase somewhere in the paper (the view
-- paper_term_keys, sql/schema/040), read once into the temporary table term_key_papers (one row
-- per paper and key) for the Rollup stage's keyphrase learning (rollup/term_keys_build.sql) and
-- the full rebuild (rollup/tag_daily_named_insert.sql). A paper is there by its row of
-- paper_terms (paper_row); the temporary table paper_rows names the row of each paper, with its
-- ai_keywords. The caller runs this in one transaction, so the two agree on the rows.
-- rollup/term_key_papers_drop.sql drops them.
-- params: none
-- columns: none
create or replace temp table paper_rows as
select
    rowid as paper_row,
    paper_id,
    ai_terms
from paper_terms;

create or replace temp table term_key_papers as
select
    paper_row,
    key,
    ends
from paper_term_keys;
