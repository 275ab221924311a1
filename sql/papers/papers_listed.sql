-- Every list entry of the current revisions between two list dates, in list order.
-- params: $from DATE, $to DATE
-- columns: list_date DATE, rank INTEGER, paper_id VARCHAR, title VARCHAR, source VARCHAR, upvotes INTEGER
select
    list_date,
    rank,
    paper_id,
    title,
    source,
    upvotes
from current_entries
where list_date between $from and $to
order by list_date, source, rank
