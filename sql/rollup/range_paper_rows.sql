-- The rows of the papers listed in [$from, $to], in order, as paper_rows (made by
-- rollup/term_id_papers_build.sql) names them: RollupTables.RebuildAll narrows each range's
-- count (rollup/term_daily_insert.sql) to the spans of term_id_papers that hold them.
-- params: $from DATE, $to DATE
-- columns: paper_row BIGINT
select distinct r.paper_row
from current_listings l
join paper_rows r
  on r.paper_id = l.paper_id
where l.list_date between $from and $to
order by r.paper_row
