-- Daily counts for burst detection: for each tag of one kind with at least $min_papers
-- paper-listings in [$from, $to] (from every source, or from $source alone), the list days it
-- was on and how many papers carried it, one row per source: the caller adds up a day's rows.
-- Days it was not on are zeros for the caller to fill in from rollup/listed_days. Rows come
-- grouped by tag (ordered by its id), each tag's days in order. With $keyphrases, only terms
-- that are keyphrases (keyphrase_tags, sql/schema/020), counted from keyphrase_daily
-- (tag_daily_of, sql/schema/024). display is the name the tag is shown by.
-- params: $kind VARCHAR (term|family|topic|version), $from DATE, $to DATE, $min_papers INTEGER,
--         $names VARCHAR (chr(31)-separated; '' = all), $keyphrases BOOLEAN, $source VARCHAR ('' = all)
-- columns: tag VARCHAR, display VARCHAR, list_date DATE, papers BIGINT
with supported as (
    select
        tag_id
    from tag_daily_of($kind, $keyphrases)
    where list_date between $from and $to
      and ($source = '' or source = $source)
      and ($names = '' or tag_id in (
          select
              hash($kind, unnest(string_split($names, chr(31))))))
    group by tag_id
    having sum(papers) >= $min_papers
),
named as (
    select
        tag_id,
        tag,
        display
    from keyphrase_tags
    where $keyphrases
      and $kind = 'term'
      and tag_id in (select tag_id from supported)
    union all
    select
        g.tag_id,
        g.tag,
        coalesce(n.display, g.tag) as display
    from (
        select
            tag_id,
            tag
        from tags
        where kind = $kind
          and not ($keyphrases and $kind = 'term')
          and tag_id in (select tag_id from supported)
    ) g
    left join tag_display n
      on n.kind = $kind
     and n.tag = g.tag
)
select
    g.tag,
    g.display,
    d.list_date,
    d.papers
from tag_daily_of($kind, $keyphrases) d
join named g
  on g.tag_id = d.tag_id
where d.list_date between $from and $to
  and ($source = '' or d.source = $source)
order by d.tag_id, d.list_date
