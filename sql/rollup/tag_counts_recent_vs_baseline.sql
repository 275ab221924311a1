-- Per tag with enough support in the recent window [$from, $to]: the papers carrying it there
-- and the list days it appeared on, the papers carrying it in the baseline window
-- [$base_from, $from), the first day it was ever listed, and the papers listed in each
-- window. Input for the emergence score (docs/emergence.md).
-- params: $kind VARCHAR (term|family|topic), $from DATE, $to DATE, $base_from DATE,
--         $min_papers INTEGER, $min_days INTEGER, $names VARCHAR (chr(31)-separated; '' = all)
-- columns: tag VARCHAR, recent BIGINT, recent_days BIGINT, baseline BIGINT, first_seen DATE,
--          listed_recent BIGINT, listed_baseline BIGINT
with recent as (
    select distinct
        list_date,
        paper_id
    from current_entries
    where list_date between $from and $to
),
base as (
    select distinct
        paper_id
    from current_entries
    where list_date >= $base_from
      and list_date < $from
),
candidates as (
    select
        t.tag,
        count(distinct r.paper_id) as recent,
        count(distinct r.list_date) as recent_days
    from recent r
    join paper_tags t
      on t.paper_id = r.paper_id
    where t.kind = $kind
      and ($names = '' or list_contains(string_split($names, chr(31)), t.tag))
    group by t.tag
    having count(distinct r.paper_id) >= $min_papers
       and count(distinct r.list_date) >= $min_days
),
baseline as (
    select
        t.tag,
        count(*) as baseline
    from base b
    join paper_tags t
      on t.paper_id = b.paper_id
    where t.kind = $kind
      and t.tag in (select tag from candidates)
    group by t.tag
)
select
    c.tag,
    c.recent,
    c.recent_days,
    coalesce(b.baseline, 0) as baseline,
    s.first_seen,
    (select count(distinct paper_id) from recent) as listed_recent,
    (select count(*) from base) as listed_baseline
from candidates c
left join baseline b
  on b.tag = c.tag
join tag_first_seen s
  on s.kind = $kind
 and s.tag = c.tag
order by c.tag
