-- Counts the papers of each tag per source and list day in [$from, $to] into tag_daily_named
-- (made by rollup/rollup_tables_rebuild.sql). A range at a time: the distinct terms of every
-- paper at once did not fit in DuckDB's memory limit at a million papers; by ranges of list days,
-- each (tag, source, day) is counted in one range and nothing needs adding up afterwards.
-- Reads the temporary table term_key_papers (rollup/term_key_papers_build.sql) once per range.
-- params: $from DATE, $to DATE
-- columns: none
insert into tag_daily_named
with in_range as (
    select paper_id
    from current_listings
    where list_date between $from and $to
),
joined_keys as (
    -- Keys of concepts of several keys (the map's keys and the concepts they join).
    select key from term_concepts
    union
    select concept from term_concepts
)
select
    t.kind,
    t.tag,
    hash(t.kind, t.tag) as tag_id,
    l.source,
    l.list_date,
    -- A paper has each key once, so a tag of one key counts rows; a concept of several keys
    -- counts its papers, which may say it by more than one of its keys. A tag is one or the other.
    count(*) filter (where not t.joined) + count(distinct t.paper_id) filter (where t.joined) as papers
from current_listings l
join (
    -- paper_tags (sql/schema/013), with the terms from term_key_papers, read once for this rebuild.
    select
        f.paper_id,
        'term' as kind,
        coalesce(c.concept, f.key) as tag,
        j.key is not null as joined
    from term_key_papers f
    left join term_concepts c
      on c.key = f.key
    left join joined_keys j
      on j.key = f.key
    where f.paper_id in (select paper_id from in_range)
    union all
    select
        paper_id,
        kind,
        tag,
        false as joined
    from paper_tags
    where kind <> 'term'
) t
  on t.paper_id = l.paper_id
where l.list_date between $from and $to
group by t.kind, t.tag, l.source, l.list_date;
