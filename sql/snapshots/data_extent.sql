-- The data's extent: the first and the latest list date, and how many distinct papers are listed.
-- params: none
-- columns: first_list DATE, latest_list DATE, papers BIGINT
select min(list_date) as first_list, max(list_date) as latest_list, count(distinct paper_id) as papers
from current_entries
