-- Daily binomial counts for burst detection: for each list day in [$from, $to], the papers
-- listed; for each tag with at least $min_papers papers in the range, the papers carrying it
-- per day. Days without a list have no row (gaps, not zeros); days with a list but without
-- the tag come back with tag = null so the caller sees every list day once.
-- params: $kind VARCHAR (term|family|topic), $from DATE, $to DATE, $min_papers INTEGER,
--         $names VARCHAR (chr(31)-separated; '' = all)
-- columns: tag VARCHAR, list_date DATE, papers BIGINT, listed BIGINT
with listed as (
    select distinct
        list_date,
        paper_id
    from current_entries
    where list_date between $from and $to
),
days as (
    select
        list_date,
        count(*) as listed
    from listed
    group by list_date
),
tagged as (
    select
        t.tag,
        l.list_date,
        l.paper_id
    from listed l
    join paper_tags t
      on t.paper_id = l.paper_id
    where t.kind = $kind
      and ($names = '' or list_contains(string_split($names, chr(31)), t.tag))
),
chosen as (
    select
        tag
    from tagged
    group by tag
    having count(distinct paper_id) >= $min_papers
)
select
    x.tag,
    d.list_date,
    coalesce(x.papers, 0) as papers,
    d.listed
from days d
left join (
    select
        t.tag,
        t.list_date,
        count(distinct t.paper_id) as papers
    from tagged t
    join chosen c
      on c.tag = t.tag
    group by t.tag, t.list_date
) x
  on x.list_date = d.list_date
order by x.tag nulls first, d.list_date
