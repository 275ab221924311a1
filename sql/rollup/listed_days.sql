-- The list days in a range and how many papers each listed (summed over sources, or from
-- $source alone); days without a list have no row.
-- params: $from DATE, $to DATE, $source VARCHAR ('' = all)
-- columns: list_date DATE, papers BIGINT
select
    list_date,
    sum(papers)::bigint as papers
from listed_daily
where list_date between $from and $to
  and ($source = '' or source = $source)
group by list_date
order by list_date
