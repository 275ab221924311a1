-- Per tag with enough support in the recent window [$from, $to]: its paper-listings there and
-- the list days it appeared on, its paper-listings in the baseline window [$base_from, $from),
-- the first day it was ever listed, and all paper-listings in each window. A paper listed on
-- two days of a window counts twice, in a tag's count and in the window's total alike (4 of the
-- archive's 9,877 papers are). With $source, only that source's lists count. Input for the emergence score (docs/emergence.md).
-- With $specific, single lower-case words are left out (a keyword then needs a space, a hyphen,
-- a digit or a capital letter: "world model", "block-causal", "GPT-5.6", "LoRA").
-- params: $kind VARCHAR (term|family|topic), $from DATE, $to DATE, $base_from DATE,
--         $min_papers INTEGER, $min_days INTEGER, $names VARCHAR (chr(31)-separated; '' = all),
--         $specific BOOLEAN, $source VARCHAR ('' = all)
-- columns: tag VARCHAR, recent BIGINT, recent_days BIGINT, baseline BIGINT, first_seen DATE,
--          listed_recent BIGINT, listed_baseline BIGINT
with recent as (
    select
        tag_id,
        sum(papers)::bigint as recent,
        count(distinct list_date) as recent_days
    from tag_daily
    where kind = $kind
      and list_date between $from and $to
      and ($source = '' or source = $source)
    group by tag_id
    having sum(papers) >= $min_papers
       and count(distinct list_date) >= $min_days
),
candidates as (
    select
        r.*,
        g.tag,
        g.first_seen
    from recent r
    join tags g
      on g.kind = $kind
     and g.tag_id = r.tag_id
    where ($names = '' or list_contains(string_split($names, chr(31)), g.tag))
      and (not $specific or regexp_matches(g.tag, '[ \-0-9A-Z]'))
),
baseline as (
    select
        d.tag_id,
        sum(d.papers)::bigint as baseline
    from tag_daily d
    join candidates c
      on c.tag_id = d.tag_id
    where d.kind = $kind
      and d.list_date >= $base_from
      and d.list_date < $from
      and ($source = '' or d.source = $source)
    group by d.tag_id
)
select
    c.tag,
    c.recent,
    c.recent_days,
    coalesce(b.baseline, 0) as baseline,
    c.first_seen,
    (select coalesce(sum(papers), 0)::bigint from listed_daily
     where list_date between $from and $to and ($source = '' or source = $source)) as listed_recent,
    (select coalesce(sum(papers), 0)::bigint from listed_daily
     where list_date >= $base_from and list_date < $from and ($source = '' or source = $source)) as listed_baseline
from candidates c
left join baseline b
  on b.tag_id = c.tag_id
order by c.tag
