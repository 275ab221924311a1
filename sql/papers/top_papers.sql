-- The papers listed between two dates, most upvoted first (the community's signal over the
-- whole range), then best rank, then most days listed. A rank is within one day's list, and a
-- paper is seldom listed twice (4 of the archive's 9,877), so neither leads.
-- params: $from DATE, $to DATE, $top INTEGER, $source VARCHAR ('' = all)
-- columns: paper_id VARCHAR, title VARCHAR, days_listed BIGINT, best_rank INTEGER,
--          max_upvotes INTEGER, first_listed DATE
select
    paper_id,
    arg_max(title, (list_date, source)) as title,
    count(distinct list_date) as days_listed,
    min(rank) as best_rank,
    max(upvotes) as max_upvotes,
    min(list_date) as first_listed
from current_entries
where list_date between $from and $to
  and ($source = '' or source = $source)
group by paper_id
order by max_upvotes desc nulls last, best_rank, days_listed desc, paper_id
limit $top
