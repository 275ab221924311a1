-- The first and the last list date of the current lists (nulls: none stored).
-- params: none
-- columns: first_list_date DATE, last_list_date DATE
select
    min(list_date) as first_list_date,
    max(list_date) as last_list_date
from current_entries
