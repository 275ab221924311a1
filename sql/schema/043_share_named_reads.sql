-- tag_share_by_period (sql/schema/036) without two reads a keyword share query did not need, each
-- 8–12 ms of a read command on the archive: with tags named, the tags table is no longer joined to
-- pick the top ones (the named tags are the ones shown), and a paper's empty terms are left out
-- after its terms are split instead of tested before (DuckDB read every paper's terms to test
-- them, whatever paper the range repeats). The answer is the same.
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
named_keyphrases as (
    select
        hash(tag_kind, tag) as tag_id
    from named
    where tag_kind = 'term'
      and hash(tag_kind, tag) in (select tag_id from keyphrase_tags)
),
named_others as (
    select
        hash(tag_kind, tag) as tag_id
    from named
    where hash(tag_kind, tag) not in (select tag_id from named_keyphrases)
),
in_range as (
    -- Named keyphrases are counted from keyphrase_daily (sql/schema/023), which holds their rows
    -- of tag_daily only; every other tag from tag_daily.
    select
        d.list_date,
        d.tag_id,
        d.papers
    from keyphrase_daily d
    where tag_kind = 'term'
      and d.list_date between from_day and to_day
      and (src = '' or d.source = src)
      and d.tag_id in (select tag_id from named_keyphrases)
    union all
    select
        d.list_date,
        d.tag_id,
        d.papers
    from tag_daily d
    where d.kind = tag_kind
      and d.list_date between from_day and to_day
      and (src = '' or d.source = src)
      and (names = '' or d.tag_id in (select tag_id from named_others))
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
          and paper_id in (select paper_id from repeats_in_range)
    ) f
    left join term_concepts c
      on c.key = f.key
    where f.key <> ''
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
    -- Only when no tag is named: the named tags are the wanted ones, and joined with tags the
    -- few named ids made DuckDB read every term's row of tags (12 ms of a read command).
    select
        g.tag,
        g.tag_id
    from range_counts r
    join tags g
      on g.kind = tag_kind
     and g.tag_id = r.tag_id
    where names = ''
      and (top_n <= 0 or r.papers >= (select papers from cutoff))
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
