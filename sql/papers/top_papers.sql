-- The papers listed between two dates, most days listed first, then best rank, then upvotes.
-- params: $from DATE, $to DATE, $top INTEGER, $source VARCHAR ('' = all)
-- columns: paper_id VARCHAR, title VARCHAR, days_listed BIGINT, best_rank INTEGER,
--          max_upvotes INTEGER, first_listed DATE
select
    paper_id,
    arg_max(title, list_date) as title,
    count(distinct list_date) as days_listed,
    min(rank) as best_rank,
    max(upvotes) as max_upvotes,
    min(list_date) as first_listed
from current_entries
where list_date between $from and $to
  and ($source = '' or source = $source)
group by paper_id
order by days_listed desc, best_rank, max_upvotes desc nulls last, paper_id
limit $top
