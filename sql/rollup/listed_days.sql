-- The list days in a range and how many papers each listed; days without a list have no row.
-- params: $from DATE, $to DATE
-- columns: list_date DATE, papers BIGINT
select
    list_date,
    papers
from listed_daily
where list_date between $from and $to
order by list_date
