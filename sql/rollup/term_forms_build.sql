-- Every paper's terms as written, with their keys and whether each ends a phrase somewhere in
-- the paper (the view paper_term_forms, sql/schema/013), read once into the temporary table
-- term_forms, and the same by key (term_key_papers: one row per paper and key), for the Rollup
-- stage's keyphrase learning (rollup/term_keys_build.sql) and the full rebuild
-- (rollup/tag_daily_named_insert.sql). rollup/term_forms_drop.sql drops both.
-- params: none
-- columns: none
create or replace temp table term_forms as
select
    paper_id,
    form,
    key,
    ends
from paper_term_forms;

create or replace temp table term_key_papers as
select
    paper_id,
    key,
    bool_or(ends) as ends
from term_forms
group by paper_id, key;
