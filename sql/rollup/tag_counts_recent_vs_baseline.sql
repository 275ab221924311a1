-- Per tag: papers carrying it in the recent window [$from, $to] and in the baseline window
-- [$base_from, $from), the days it was listed on in the recent window, and the first day it
-- was ever listed; plus the papers listed in each window. Input for the emergence score.
-- params: $kind VARCHAR (term|family|topic), $from DATE, $to DATE, $base_from DATE,
--         $min_papers INTEGER, $min_days INTEGER, $names VARCHAR (chr(31)-separated; '' = all)
-- columns: tag VARCHAR, recent BIGINT, recent_days BIGINT, baseline BIGINT, first_seen DATE,
--          listed_recent BIGINT, listed_baseline BIGINT
with listed as (
    select distinct
        list_date,
        paper_id
    from current_entries
    where list_date between $base_from and $to
),
totals as (
    select
        count(distinct paper_id) filter (where list_date >= $from) as listed_recent,
        count(distinct paper_id) filter (where list_date < $from) as listed_baseline
    from listed
),
tagged as (
    select
        t.tag,
        l.paper_id,
        l.list_date
    from listed l
    join paper_tags t
      on t.paper_id = l.paper_id
    where t.kind = $kind
      and ($names = '' or list_contains(string_split($names, chr(31)), t.tag))
),
counts as (
    select
        tag,
        count(distinct paper_id) filter (where list_date >= $from) as recent,
        count(distinct list_date) filter (where list_date >= $from) as recent_days,
        count(distinct paper_id) filter (where list_date < $from) as baseline
    from tagged
    group by tag
    having count(distinct paper_id) filter (where list_date >= $from) >= $min_papers
       and count(distinct list_date) filter (where list_date >= $from) >= $min_days
),
first_seen as (
    select
        t.tag,
        min(p.first_listed) as first_seen
    from papers p
    join paper_tags t
      on t.paper_id = p.paper_id
    where t.kind = $kind
      and t.tag in (select tag from counts)
    group by t.tag
)
select
    c.tag,
    c.recent,
    c.recent_days,
    c.baseline,
    f.first_seen,
    n.listed_recent,
    n.listed_baseline
from counts c
join first_seen f
  on f.tag = c.tag
cross join totals n
order by c.tag
