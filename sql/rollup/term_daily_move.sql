-- Moves the rows of term_daily (rollup/term_daily_insert.sql, one range of list days) into
-- tag_daily, by day, and adds the terms not seen before to tags under their names in term_names
-- (the range's earliest day is a new term's first). A term without a name there would be a tag
-- without a name: the insert fails on tags.tag's NOT NULL instead. rollup/term_names_check.sql
-- has checked the ids before the first range.
-- params: none
-- columns: none
insert into tag_daily
select
    'term' as kind,
    tag_id,
    source,
    list_date,
    papers
from term_daily
order by list_date, tag_id;

insert into tags
select
    'term' as kind,
    n.tag,
    d.tag_id,
    d.first_seen
from (
    select
        tag_id,
        min(list_date) as first_seen
    from term_daily
    where tag_id not in (select tag_id from tags)
    group by tag_id
) d
left join term_names n
  on n.tag_id = d.tag_id;

delete from term_daily;
