-- Rebuilds the rollups of the list days in the temporary table rollup_days(source, list_date)
-- only, the same way rollup_tables_rebuild.sql builds them all. Tags seen for the first time get
-- a row; every tag on a rebuilt day, before or after, gets its first day recomputed, and a tag
-- no day carries any more is dropped, so the result equals a full rebuild.
-- Needs the temporary tables term_key_papers and paper_rows (rollup/term_key_papers_build_days.sql
-- or rollup/term_key_papers_build_rows.sql, and rollup/rollup_days_papers.sql).
-- params: none
-- columns: none

-- The papers whose repeated listings (repeat_listings) may change: those listed on a rebuilt day,
-- before the rebuild and after it.
create temp table repeat_papers as
select distinct paper_id
from current_listings
where (source, list_date) in (select source, list_date from rollup_days);

delete from current_listings
where (source, list_date) in (select source, list_date from rollup_days);
insert into current_listings
select distinct
    e.source,
    e.list_date,
    e.paper_id
from current_entries e
where (e.source, e.list_date) in (select source, list_date from rollup_days)
order by e.list_date, e.source;

insert into repeat_papers
select distinct paper_id
from current_listings
where (source, list_date) in (select source, list_date from rollup_days);

-- Refilled by rollup/repeat_listings_insert.sql; repeat_papers is dropped by rollup/rollup_days_drop.sql.
delete from repeat_listings
where paper_id in (select paper_id from repeat_papers);
create temp view repeat_scope as
select *
from current_listings
where paper_id in (select paper_id from repeat_papers);

delete from listed_daily
where (source, list_date) in (select source, list_date from rollup_days);
insert into listed_daily
select
    source,
    list_date,
    count(*) as papers
from current_listings
where (source, list_date) in (select source, list_date from rollup_days)
group by source, list_date;

create temp table rollup_days_named as
select
    t.kind,
    t.tag,
    l.source,
    l.list_date,
    count(*) as papers
from current_listings l
join (
    -- paper_tags (sql/schema/013), with the terms from term_key_papers (read for this rebuild
    -- for these days' papers by RollupTables.BuildDayTermKeys): joined to the view, every paper's terms were keyed again.
    select distinct
        r.paper_id,
        'term' as kind,
        coalesce(c.concept, f.key) as tag
    from term_key_papers f
    join paper_rows r
      on r.paper_row = f.paper_row
    left join term_concepts c
      on c.key = f.key
    where r.paper_id in (
        select paper_id
        from current_listings
        where (source, list_date) in (select source, list_date from rollup_days))
    union all
    select
        paper_id,
        kind,
        tag
    from paper_tags
    where kind <> 'term'
      and paper_id in (
          select paper_id
          from current_listings
          where (source, list_date) in (select source, list_date from rollup_days))
) t
  on t.paper_id = l.paper_id
where (l.source, l.list_date) in (select source, list_date from rollup_days)
group by t.kind, t.tag, l.source, l.list_date;

create temp table rollup_days_touched as
select distinct
    kind,
    tag_id
from tag_daily
where (source, list_date) in (select source, list_date from rollup_days)
union
select distinct
    kind,
    hash(kind, tag) as tag_id
from rollup_days_named;

delete from tag_daily
where (source, list_date) in (select source, list_date from rollup_days);
insert into tag_daily
select
    kind,
    hash(kind, tag) as tag_id,
    source,
    list_date,
    papers
from rollup_days_named
order by kind, list_date, tag_id;

insert into tags
select
    kind,
    tag,
    hash(kind, tag) as tag_id,
    min(list_date) as first_seen
from rollup_days_named d
where not exists (select 1 from tags g where g.kind = d.kind and g.tag = d.tag)
group by kind, tag;

update tags
set first_seen = m.first_seen
from (
    select
        d.kind,
        d.tag_id,
        min(d.list_date) as first_seen
    from tag_daily d
    join rollup_days_touched t
      on t.kind = d.kind
     and t.tag_id = d.tag_id
    group by d.kind, d.tag_id
) m
where tags.kind = m.kind
  and tags.tag_id = m.tag_id
  and tags.first_seen <> m.first_seen;

delete from tags
where (kind, tag_id) in (select kind, tag_id from rollup_days_touched)
  and not exists (select 1 from tag_daily d where d.kind = tags.kind and d.tag_id = tags.tag_id);

-- Two tags with one id would merge their counts; stop instead. A new tag's id is among the
-- touched ones, so only those are looked at (all of them took 0.17 s at a million papers).
select
    case
        when count(distinct tag_id) <> count(*) then error('two tags share an id in the tags table; report this')
    end
from tags
where tag_id in (select tag_id from rollup_days_touched);

drop table rollup_days_named;
drop table rollup_days_touched;

delete from rollup_revisions
where (source, list_date) in (select source, list_date from rollup_days);
insert into rollup_revisions
select
    source,
    list_date,
    max(revision) as revision
from snapshots
where (source, list_date) in (select source, list_date from rollup_days)
group by source, list_date;
