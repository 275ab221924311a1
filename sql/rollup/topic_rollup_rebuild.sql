-- After a retag that changed only topics (rollup/topics_only_changed.sql): the topics' rows of
-- tags and tag_daily made again from paper_topics, as the full rebuild makes them
-- (rollup/rollup_tables_rebuild.sql, rollup/tag_daily_named_move.sql); every other row stays.
-- The topics' rows of tag_daily stay together, by day, so a topic read still skips the rest.
-- params: none
-- columns: none
create temp table topic_daily_named as
select
    'topic' as kind,
    t.topic as tag,
    l.source,
    l.list_date,
    count(*) as papers
from current_listings l
join paper_topics t
  on t.paper_id = l.paper_id
group by t.topic, l.source, l.list_date;

delete from tags where kind = 'topic';
insert into tags
select
    kind,
    tag,
    hash(kind, tag) as tag_id,
    min(list_date) as first_seen
from topic_daily_named
group by kind, tag;

select
    case
        when count(distinct tag_id) <> count(*) then error('two tags share an id in the tags table; report this')
    end
from tags;

delete from tag_daily where kind = 'topic';
insert into tag_daily
select
    kind,
    hash(kind, tag) as tag_id,
    source,
    list_date,
    papers
from topic_daily_named
order by list_date, tag_id;

drop table topic_daily_named;
