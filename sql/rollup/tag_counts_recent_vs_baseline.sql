-- Per tag with enough support in the recent window [$from, $to]: its paper-listings there, the
-- list days it appeared on and its busiest day there, its paper-listings in the baseline window
-- [$base_from, $base_to] (before the recent one, or after it when asking what fell), the first day it was ever listed, and all paper-listings in each window.
-- A paper listed on two days of a window counts twice, in a tag's count and in the window's
-- total alike (4 of the archive's 9,877 papers are). With $source, only that source's lists
-- count. Input for the emergence test (docs/emergence.md).
-- With $keyphrases, only terms that are keyphrases (keyphrase_tags, sql/schema/020) are
-- candidates, counted from keyphrase_daily (tag_daily_of, sql/schema/024). display is the name
-- the tag is shown by; family is a model version's family ('' for other kinds).
-- params: $kind VARCHAR (term|family|topic|version), $from DATE, $to DATE, $base_from DATE, $base_to DATE,
--         $min_papers INTEGER, $min_days INTEGER, $names VARCHAR (chr(31)-separated tags; '' = all),
--         $keyphrases BOOLEAN, $source VARCHAR ('' = all)
-- columns: tag VARCHAR, display VARCHAR, family VARCHAR, recent BIGINT, recent_days BIGINT,
--          busiest_day BIGINT, baseline BIGINT, first_seen DATE, listed_recent BIGINT, listed_baseline BIGINT
with recent as (
    select
        tag_id,
        sum(papers)::bigint as recent,
        count(distinct list_date) as recent_days,
        max(papers)::bigint as busiest_day
    from (
        select
            tag_id,
            list_date,
            sum(papers) as papers
        from tag_daily_of($kind, $keyphrases)
        where list_date between $from and $to
          and ($source = '' or source = $source)
        group by tag_id, list_date
    )
    group by tag_id
    having sum(papers) >= $min_papers
       and count(distinct list_date) >= $min_days
),
named as (
    -- Keyphrases from keyphrase_tags (sql/schema/020), a few thousand rows; other tags from tags.
    select
        k.tag_id,
        k.tag,
        k.display,
        f.first_seen
    from keyphrase_tags k
    join (
        select
            tag_id,
            first_seen
        from tags
        where $keyphrases
          and kind = 'term'
          and tag_id in (select tag_id from recent)
    ) f
      on f.tag_id = k.tag_id
    where $keyphrases
      and $kind = 'term'
    union all
    select
        g.tag_id,
        g.tag,
        coalesce(n.display, g.tag) as display,
        g.first_seen
    from (
        select
            tag_id,
            tag,
            first_seen
        from tags
        where kind = $kind
          and not ($keyphrases and $kind = 'term')
          and tag_id in (select tag_id from recent)
    ) g
    left join tag_display n
      on n.kind = $kind
     and n.tag = g.tag
),
candidates as (
    select
        r.*,
        g.tag,
        g.display,
        g.first_seen
    from recent r
    join named g
      on g.tag_id = r.tag_id
    where ($names = '' or list_contains(string_split($names, chr(31)), g.tag))
),
baseline as (
    select
        d.tag_id,
        sum(d.papers)::bigint as baseline
    from tag_daily_of($kind, $keyphrases) d
    join candidates c
      on c.tag_id = d.tag_id
    where d.list_date between $base_from and $base_to
      and ($source = '' or d.source = $source)
    group by d.tag_id
)
select
    c.tag,
    c.display,
    coalesce(v.family, '') as family,
    c.recent,
    c.recent_days,
    c.busiest_day,
    coalesce(b.baseline, 0) as baseline,
    c.first_seen,
    (select coalesce(sum(papers), 0)::bigint from listed_daily
     where list_date between $from and $to and ($source = '' or source = $source)) as listed_recent,
    (select coalesce(sum(papers), 0)::bigint from listed_daily
     where list_date between $base_from and $base_to and ($source = '' or source = $source)) as listed_baseline
from candidates c
left join baseline b
  on b.tag_id = c.tag_id
left join version_stats v
  on $kind = 'version'
 and v.key = c.tag
order by c.tag
