-- Moves the rows of tag_daily_named (rollup/rollup_tables_rebuild.sql: every kind of tag but
-- terms) into tag_daily, by day, and makes their tags. The full rebuild does this once, into the
-- tables it has just emptied, before it counts the terms a range of list days at a time
-- (rollup/term_daily_move.sql): so tag_daily holds the other kinds' rows by day, then the terms'
-- (a hundred times as many) by day. A family or topic read skips the blocks of term counts by
-- their kind's bounds, and a term read skips by day. Sorting all of them at the end took twice as
-- long (17.8 s against 7.8 s at a million papers). Two tags with one id are caught by
-- rollup/term_names_check.sql (a term's) and rollup/rollup_tables_finish.sql (any two).
-- params: none
-- columns: none
insert into tag_daily
select
    kind,
    tag_id,
    source,
    list_date,
    papers
from tag_daily_named
order by list_date, tag_id;

insert into tags
select
    kind,
    tag,
    tag_id,
    min(list_date) as first_seen
from tag_daily_named
group by kind, tag, tag_id;

delete from tag_daily_named;
