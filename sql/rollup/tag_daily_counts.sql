-- Daily binomial counts for burst detection: for each list day in [$from, $to], the papers
-- listed; for each tag with at least $min_papers paper-listings in the range, the papers
-- carrying it per day. Days without a list have no row (gaps, not zeros); days with a list
-- but without any chosen tag come back with tag = null so the caller sees every list day once.
-- params: $kind VARCHAR (term|family|topic), $from DATE, $to DATE, $min_papers INTEGER,
--         $names VARCHAR (chr(31)-separated; '' = all)
-- columns: tag VARCHAR, list_date DATE, papers BIGINT, listed BIGINT
with chosen as (
    select
        tag
    from tag_daily
    where kind = $kind
      and list_date between $from and $to
      and ($names = '' or list_contains(string_split($names, chr(31)), tag))
    group by tag
    having sum(papers) >= $min_papers
),
hits as (
    select
        d.tag,
        d.list_date,
        d.papers
    from tag_daily d
    join chosen c
      on c.tag = d.tag
    where d.kind = $kind
      and d.list_date between $from and $to
)
select
    h.tag,
    l.list_date,
    coalesce(h.papers, 0) as papers,
    l.papers as listed
from listed_daily l
left join hits h
  on h.list_date = l.list_date
where l.list_date between $from and $to
order by h.tag nulls first, l.list_date
