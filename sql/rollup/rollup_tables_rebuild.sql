-- Rebuilds the derived rollups (current_listings, listed_daily, tags, tag_daily) from the
-- current lists and tags. A paper listed on several days, or by several sources, counts on each.
-- Reads the temporary table term_forms (rollup/term_forms_build.sql).
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

create temp table tag_daily_named as
select
    t.kind,
    t.tag,
    l.source,
    l.list_date,
    count(*) as papers
from current_listings l
join (
    -- paper_tags (sql/schema/013), with the terms from term_forms, read once for this rebuild.
    select distinct
        f.paper_id,
        'term' as kind,
        coalesce(c.concept, f.key) as tag
    from term_forms f
    left join term_concepts c
      on c.key = f.key
    union all
    select
        paper_id,
        kind,
        tag
    from paper_tags
    where kind <> 'term'
) t
  on t.paper_id = l.paper_id
group by t.kind, t.tag, l.source, l.list_date;

delete from tags;
insert into tags
select
    kind,
    tag,
    hash(kind, tag) as tag_id,
    min(list_date) as first_seen
from tag_daily_named
group by kind, tag;

-- Two tags with one id would merge their counts; stop instead (not expected with 64-bit ids).
select
    case
        when count(distinct tag_id) <> count(*) then error('two tags share an id in the tags table; report this')
    end
from tags;

delete from tag_daily;
insert into tag_daily
select
    kind,
    hash(kind, tag) as tag_id,
    source,
    list_date,
    papers
from tag_daily_named
order by list_date, kind, tag_id;

drop table tag_daily_named;

delete from rollup_revisions;
insert into rollup_revisions
select
    source,
    list_date,
    max(revision) as revision
from snapshots
group by source, list_date;
