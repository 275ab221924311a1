-- The temporary table of the papers tagged while an import stored them, by the text they were
-- tagged from; papers_to_tag.sql reads it, and it is dropped right after (tags_ahead_drop.sql).
-- params: none
create or replace temp table tags_ahead (paper_id varchar, text_md5 varchar)
