-- The keyphrases (term_stats) with the most paper-listings in a range, most first: what the
-- keyword share charts and `query terms --top` show when no keyword is named.
-- params: $from DATE, $to DATE, $top INTEGER, $source VARCHAR ('' = all)
-- columns: tag VARCHAR
select
    g.tag
from tag_daily d
join tags g
  on g.kind = 'term'
 and g.tag_id = d.tag_id
join term_stats s
  on s.concept = g.tag
 and s.keyphrase
where d.kind = 'term'
  and d.list_date between $from and $to
  and ($source = '' or d.source = $source)
group by g.tag
order by sum(d.papers) desc, g.tag
limit $top
