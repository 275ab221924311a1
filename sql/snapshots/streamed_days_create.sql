-- The days a streamed payload stores, with their new revisions, for the check that no rank
-- is listed twice (streamed_rank_repeated.sql).
-- params: none
create or replace temp table streamed_days (list_date date, revision integer)
