-- Moves the rows of tag_daily_named (rollup/rollup_tables_rebuild.sql: every kind of tag but
-- terms) into tag_daily, by day, and adds the tags not seen before to tags. The full rebuild
-- moves these first, then the terms a range of list days at a time, earliest first
-- (rollup/term_daily_move.sql): so a tag's first range holds its first day, and tag_daily holds
-- the other kinds' rows by day, then the terms' (a hundred times as many) by day. A family or
-- topic read skips the blocks of term counts by their kind's bounds, and a term read skips by day.
-- Sorting all of them at the end took twice as long (17.8 s against 7.8 s at a million papers).
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

-- By id; a tag of another name with an id already taken would merge with it: stop instead
-- (not expected with 64-bit ids; rollup/rollup_tables_finish.sql checks the ids within tags).
-- Only the rows whose id is taken are compared. DuckDB takes a temporary table filled in this
-- transaction for empty, so it built the hash table of a join (or of a plain `in`) on the 1.2
-- million rows of tag_daily_named instead of on tags: 0.3 s on the archive, where no row's id is
-- taken. Written `(… in …) is true`, the `in` is a mark join, whose table is always the list's.
select
    case
        when count(*) > 0 then error('two tags share an id in the tags table; report this')
    end
from (
    select
        kind,
        tag,
        tag_id
    from tag_daily_named
    where (tag_id in (select tag_id from tags)) is true
) d
join tags g
  on g.tag_id = d.tag_id
where g.kind <> d.kind
   or g.tag <> d.tag;

insert into tags
select
    kind,
    tag,
    tag_id,
    min(list_date) as first_seen
from tag_daily_named
where tag_id not in (select tag_id from tags)
group by kind, tag, tag_id;

delete from tag_daily_named;
