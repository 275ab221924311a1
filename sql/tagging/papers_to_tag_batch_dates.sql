-- The first and last list date of the listings one batch of papers_to_tag reads its texts from.
-- params: $first BIGINT, $next BIGINT
-- columns: from_date DATE, to_date DATE
select
    min(list_date) as from_date,
    max(list_date) as to_date
from papers_to_tag
where n >= $first
  and n < $next
