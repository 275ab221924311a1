-- Every paper's term keys and whether each ends a phrase somewhere in the paper (the view
-- paper_term_keys, sql/schema/039), read once into the temporary table term_key_papers (one row
-- per paper and key) for the Rollup stage's keyphrase learning (rollup/term_keys_build.sql) and
-- the full rebuild (rollup/tag_daily_named_insert.sql). rollup/term_key_papers_drop.sql drops it.
-- params: none
-- columns: none
create or replace temp table term_key_papers as
select
    paper_id,
    key,
    ends
from paper_term_keys;
