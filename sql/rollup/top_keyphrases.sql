-- The keyphrases (keyphrase_tags, sql/schema/020) with the most paper-listings in a range, most first
-- (from keyphrase_daily, sql/schema/023): what the keyword share charts and `query terms --top` show
-- when no keyword is named.
-- params: $from DATE, $to DATE, $top INTEGER, $source VARCHAR ('' = all)
-- columns: tag VARCHAR
select
    k.tag
from keyphrase_daily d
join keyphrase_tags k
  on k.tag_id = d.tag_id
where d.list_date between $from and $to
  and ($source = '' or d.source = $source)
group by k.tag
order by sum(d.papers) desc, k.tag
limit $top
