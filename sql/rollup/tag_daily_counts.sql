-- Daily counts for burst detection: for each tag of one kind with at least $min_papers
-- paper-listings in [$from, $to] (from every source, or from $source alone), the list days it
-- was on and how many papers carried it, one row per source: the caller adds up a day's rows.
-- Days it was not on are zeros for the caller to fill in from rollup/listed_days. Rows come
-- grouped by tag (ordered by its id), each tag's days in order.
-- params: $kind VARCHAR (term|family|topic), $from DATE, $to DATE, $min_papers INTEGER,
--         $names VARCHAR (chr(31)-separated; '' = all), $source VARCHAR ('' = all)
-- columns: tag VARCHAR, list_date DATE, papers BIGINT
with supported as (
    select
        tag_id
    from tag_daily
    where kind = $kind
      and list_date between $from and $to
      and ($source = '' or source = $source)
      and ($names = '' or tag_id in (
          select
              hash($kind, unnest(string_split($names, chr(31))))))
    group by tag_id
    having sum(papers) >= $min_papers
)
select
    g.tag,
    d.list_date,
    d.papers
from tag_daily d
join supported s
  on s.tag_id = d.tag_id
join tags g
  on g.kind = $kind
 and g.tag_id = d.tag_id
where d.kind = $kind
  and d.list_date between $from and $to
  and ($source = '' or d.source = $source)
order by d.tag_id, d.list_date
