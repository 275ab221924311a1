-- Per period: the distinct papers listed, the days with a list and the weekdays expected
-- (within the range and within the stored lists' first and last day). Periods start on their
-- first day (ISO weeks on Monday); periods without any list have no row.
-- params: $from DATE, $to DATE, $grain VARCHAR (day|week|month), $source VARCHAR ('' = all)
-- columns: period DATE, papers_listed BIGINT, days_listed BIGINT, days_expected BIGINT
select
    period,
    listed as papers_listed,
    days_listed,
    days_expected
from period_coverage($from, $to, $grain, $source)
order by period
