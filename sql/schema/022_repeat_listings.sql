-- Papers listed more than once, kept by the rollup: period counts subtract their extra listings
-- instead of grouping every listing of the range by paper, which at a million papers (350,000
-- arXiv listings a year) took most of a per-period share query's time. A paper's listings are
-- its rows in current_listings (one per source and list day).
--
-- counted_in is the source within which the paper is listed more than once, or '' for all
-- sources pooled (a paper on one day of each of two sources is a repeat only there). The rollup
-- rebuilds the rows of the papers on the list days it rebuilds (sql/rollup/repeat_listings_insert.sql).
create table repeat_listings (
    counted_in varchar not null,
    source varchar not null,
    list_date date not null,
    paper_id varchar not null
);

-- Filled from the listings the rollups were built from, as sql/rollup/repeat_listings_insert.sql
-- fills it from a full rebuild's.
insert into repeat_listings
select
    l.source as counted_in,
    l.source,
    l.list_date,
    l.paper_id
from current_listings l
where (l.source, l.paper_id) in (
    select source, paper_id from current_listings group by all having count(*) > 1)
union all
select
    '' as counted_in,
    l.source,
    l.list_date,
    l.paper_id
from current_listings l
where l.paper_id in (
    select paper_id from current_listings group by all having count(*) > 1)
order by list_date;

-- Per period with a list: distinct papers listed (the day's listings from listed_daily, less the
-- extra listings of papers listed more than once in the period), days with a list and weekdays
-- expected (within the range and within the stored lists' first and last day; lists appear on
-- weekdays).
create or replace macro period_coverage(from_day, to_day, grain, src) as table
with days as (
    select
        list_date,
        sum(papers) as listings
    from listed_daily
    where list_date between from_day and to_day
      and (src = '' or source = src)
    group by list_date
),
periods as (
    select
        date_trunc(grain, list_date)::date as period,
        sum(listings) as listings,
        count(*) as days_listed
    from days
    group by 1
),
extra as (
    select
        period,
        sum(n - 1) as extra
    from (
        select
            date_trunc(grain, list_date)::date as period,
            paper_id,
            count(*) as n
        from repeat_listings
        where counted_in = src
          and list_date between from_day and to_day
        group by all
    )
    group by period
),
bounds as (
    select
        greatest(from_day, min(list_date)) as first_day,
        least(to_day, max(list_date)) as last_day
    from days
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
    p.period,
    (p.listings - coalesce(x.extra, 0))::bigint as listed,
    p.days_listed,
    coalesce(e.days_expected, 0) as days_expected
from periods p
left join extra x
  on x.period = p.period
left join expected e
  on e.period = p.period;

-- tag_share_by_period (sql/schema/015) with the repeated listings read from repeat_listings.
create or replace macro tag_share_by_period(tag_kind, from_day, to_day, grain, top_n, names, src) as table
with repeated as (
    select
        date_trunc(grain, list_date)::date as period,
        paper_id
    from repeat_listings
    where counted_in = src
      and list_date between from_day and to_day
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
    from repeated
    group by all
    having count(*) > 1
),
repeats_in_range as (
    select
        paper_id,
        count(*) - 1 as extra
    from repeated
    group by all
    having count(*) > 1
),
repeat_tags as (
    -- The tags of the papers listed more than once, read from those papers alone: joined to
    -- the view paper_tags, every paper's terms were keyed (2 s on the archive, per request).
    select distinct
        f.paper_id,
        hash(tag_kind, coalesce(c.concept, f.key)) as tag_id
    from (
        select
            paper_id,
            term_key(unnest(string_split(terms, chr(31)))) as key
        from paper_terms
        where tag_kind = 'term'
          and terms <> ''
          and paper_id in (select paper_id from repeats_in_range)
    ) f
    left join term_concepts c
      on c.key = f.key
    union all
    select distinct
        t.paper_id,
        hash(tag_kind, t.tag) as tag_id
    from paper_tags t
    where tag_kind <> 'term'
      and t.kind = tag_kind
      and t.paper_id in (select paper_id from repeats_in_range)
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
