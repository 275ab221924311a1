-- Rebuilds the derived rollups (current_listings, listed_daily, repeat_listings, tags, tag_daily)
-- from the current lists and tags, in steps: this one rebuilds the listings, empties tags and
-- tag_daily, and counts every kind of tag but terms by day into the temporary table
-- tag_daily_named; rollup/repeat_listings_insert.sql fills repeat_listings;
-- rollup/tag_daily_named_move.sql moves tag_daily_named's rows into tags and tag_daily; then
-- rollup/term_daily_insert.sql counts the terms one range of list days at a time into term_daily,
-- by id, and rollup/term_daily_move.sql moves each range's rows on; rollup/rollup_tables_finish.sql
-- ends it. A paper listed on several days, or by several
-- sources, counts on each.
-- params: none
-- columns: none
delete from current_listings;
-- Rows go in by list day here and below, which lets date filters skip the rest.
insert into current_listings
select distinct
    source,
    list_date,
    paper_id
from current_entries
order by list_date, source;

delete from listed_daily;
insert into listed_daily
select
    source,
    list_date,
    count(*) as papers
from current_listings
group by source, list_date
order by list_date, source;

-- Filled from it by rollup/repeat_listings_insert.sql.
delete from repeat_listings;
create temp view repeat_scope as
select * from current_listings;

delete from tags;
delete from tag_daily;

create temp table tag_daily_named (
    kind varchar,
    tag varchar,
    tag_id ubigint,
    source varchar,
    list_date date,
    papers bigint
);

create temp table term_daily (
    tag_id ubigint,
    source varchar,
    list_date date,
    papers bigint
);

-- Families, model versions and topics: a few rows per paper, all days at once. A paper has each
-- of these tags once (paper_tags, sql/schema/013).
insert into tag_daily_named
select
    t.kind,
    t.tag,
    hash(t.kind, t.tag) as tag_id,
    l.source,
    l.list_date,
    count(*) as papers
from current_listings l
join paper_tags t
  on t.paper_id = l.paper_id
where t.kind <> 'term'
group by t.kind, t.tag, l.source, l.list_date;
