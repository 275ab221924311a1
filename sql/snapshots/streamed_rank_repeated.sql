-- The first list day and rank that a streamed payload stored twice (in the temporary table
-- streamed_days), or no row.
-- params: $source VARCHAR
-- columns: list_date DATE, rank INTEGER
select e.list_date, e.rank
from list_entries e
join streamed_days d
  on d.list_date = e.list_date
 and d.revision = e.revision
where e.source = $source
group by e.list_date, e.rank
having count(*) > 1
order by e.list_date, e.rank
limit 1
