-- Daily rollups keyed by tag id and by source, and the current listings kept as a table.
-- Grouping integers instead of keyword strings is what keeps per-period keyword shares fast
-- (1.6 million paper-keyword pairs in the Daily Papers archive); the source column lets every
-- per-period query be limited to one source. All of these are derived: rollup_state is cleared
-- so the next query rebuilds them (sql/rollup/rollup_tables_rebuild.sql).
drop table tag_daily;
drop table listed_daily;
drop table tag_first_seen;

-- Distinct (source, list day, paper) of the current revisions.
create table current_listings (
    source varchar not null,
    list_date date not null,
    paper_id varchar not null
);

-- Per source and list day: how many papers are listed.
create table listed_daily (
    source varchar not null,
    list_date date not null,
    papers bigint not null
);

-- Every tag in the current lists: its id and the first day it was listed. The id is
-- hash(kind, tag), so any query can find a tag's id without reading this table; the rebuild
-- fails loudly on a collision, and the rollup signature includes a probe of hash() so a DuckDB
-- whose hash function differs rebuilds the rollups.
create table tags (
    kind varchar not null,
    tag varchar not null,
    tag_id ubigint not null,
    first_seen date not null
);

-- Per tag, source and list day: how many of that day's papers from that source carry the tag.
create table tag_daily (
    kind varchar not null,
    tag_id ubigint not null,
    source varchar not null,
    list_date date not null,
    papers bigint not null
);

delete from rollup_state;

drop macro table period_coverage;
drop macro table listed_in_range;

-- Distinct (period, list day, source, paper) between two days; src = '' means every source.
create macro listed_in_range(from_day, to_day, grain, src) as table
select
    date_trunc(grain, list_date)::date as period,
    list_date,
    source,
    paper_id
from current_listings
where list_date between from_day and to_day
  and (src = '' or source = src);

-- Per period with a list: distinct papers listed, days with a list and weekdays expected
-- (within the range and within the stored lists' first and last day; lists appear on weekdays).
create macro period_coverage(from_day, to_day, grain, src) as table
with listed as (
    select * from listed_in_range(from_day, to_day, grain, src)
),
bounds as (
    select
        greatest(from_day, min(list_date)) as first_day,
        least(to_day, max(list_date)) as last_day
    from listed
),
expected as (
    select
        date_trunc(grain, d)::date as period,
        count(*) filter (where isodow(d) <= 5) as days_expected
    from bounds b,
        range(b.first_day, b.last_day + interval 1 day, interval 1 day) as r(d)
    group by 1
)
select
    l.period,
    count(distinct l.paper_id) as listed,
    count(distinct l.list_date) as days_listed,
    coalesce(any_value(e.days_expected), 0) as days_expected
from listed l
left join expected e
  on e.period = l.period
group by l.period;

-- Papers per tag of one kind per period, as a share of the distinct papers listed in the
-- period, with the period's coverage: the body of sql/rollup/*_share_by_period.sql.
-- Counts are sums of tag_daily, less the extra listings of papers listed more than once in the
-- period (on two days, or by two sources), so each paper counts once per period. top_n keeps
-- the tags with the most papers over the whole range (0 keeps all; ties by name); names, if
-- not empty (chr(31)-separated), keeps only those tags, and each of them comes back even when
-- no paper carries it. A period without any list has no rows.
create macro tag_share_by_period(tag_kind, from_day, to_day, grain, top_n, names, src) as table
with listed as (
    select * from listed_in_range(from_day, to_day, grain, src)
),
totals as (
    select * from period_coverage(from_day, to_day, grain, src)
),
named as (
    select
        unnest(string_split(names, chr(31))) as tag
    where names <> ''
),
in_range as (
    select
        d.list_date,
        d.tag_id,
        d.papers
    from tag_daily d
    where d.kind = tag_kind
      and d.list_date between from_day and to_day
      and (src = '' or d.source = src)
      and (names = '' or d.tag_id in (select hash(tag_kind, tag) from named))
),
repeats_in_period as (
    select
        period,
        paper_id,
        count(*) - 1 as extra
    from listed
    group by all
    having count(*) > 1
),
repeats_in_range as (
    select
        paper_id,
        count(*) - 1 as extra
    from listed
    group by all
    having count(*) > 1
),
repeat_tags as (
    select distinct
        t.paper_id,
        hash(tag_kind, t.tag) as tag_id
    from repeats_in_range r
    join paper_tags t
      on t.paper_id = r.paper_id
     and t.kind = tag_kind
),
range_extra as (
    select
        t.tag_id,
        sum(r.extra) as extra
    from repeats_in_range r
    join repeat_tags t
      on t.paper_id = r.paper_id
    group by all
),
period_extra as (
    select
        r.period,
        t.tag_id,
        sum(r.extra) as extra
    from repeats_in_period r
    join repeat_tags t
      on t.paper_id = r.paper_id
    group by all
),
range_counts as (
    -- Over the whole range a paper listed in several periods still counts once.
    select
        d.tag_id,
        d.papers - coalesce(e.extra, 0) as papers
    from (
        select
            tag_id,
            sum(papers) as papers
        from in_range
        group by tag_id
    ) d
    left join range_extra e
      on e.tag_id = d.tag_id
),
cutoff as (
    select
        coalesce(min(papers), 0) as papers
    from (
        select papers from range_counts order by papers desc limit top_n
    )
),
chosen as (
    select
        g.tag,
        g.tag_id
    from range_counts r
    join tags g
      on g.kind = tag_kind
     and g.tag_id = r.tag_id
    where top_n <= 0
       or r.papers >= (select papers from cutoff)
    order by r.papers desc, g.tag
    limit case when top_n > 0 then top_n else 1000000000 end
),
wanted as (
    select
        tag,
        tag_id
    from chosen
    union
    select
        tag,
        hash(tag_kind, tag) as tag_id
    from named
),
counts as (
    select
        d.period,
        d.tag_id,
        d.papers - coalesce(e.extra, 0) as papers
    from (
        select
            date_trunc(grain, list_date)::date as period,
            tag_id,
            sum(papers) as papers
        from in_range
        where tag_id in (select tag_id from wanted)
        group by all
    ) d
    left join period_extra e
      on e.period = d.period
     and e.tag_id = d.tag_id
)
select
    n.period,
    c.tag,
    coalesce(k.papers, 0) as papers,
    coalesce(k.papers, 0) / n.listed as share,
    n.listed,
    n.days_listed,
    coalesce(n.days_expected, 0) as days_expected
from totals n
cross join wanted c
left join counts k
  on k.period = n.period
 and k.tag_id = c.tag_id
order by n.period, papers desc, c.tag;
