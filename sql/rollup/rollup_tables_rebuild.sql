-- Rebuilds the daily rollups (listed_daily, tag_daily) and tag_first_seen from the current
-- lists and tags. A paper listed on several days counts on each of them.
-- params: none
-- columns: none
delete from listed_daily;
insert into listed_daily
select
    list_date,
    count(distinct paper_id) as papers
from current_entries
group by list_date;

delete from tag_daily;
-- (list_date, paper_id) pairs are distinct and a paper's tags of one kind are distinct, so
-- count(*) counts distinct papers. Rows go in by list day, which lets date filters skip the rest.
insert into tag_daily
select
    t.kind,
    t.tag,
    e.list_date,
    count(*) as papers
from (
    select distinct
        list_date,
        paper_id
    from current_entries
) e
join paper_tags t
  on t.paper_id = e.paper_id
group by t.kind, t.tag, e.list_date
order by e.list_date;

delete from tag_first_seen;
insert into tag_first_seen
select
    kind,
    tag,
    min(list_date) as first_seen
from tag_daily
group by kind, tag;
