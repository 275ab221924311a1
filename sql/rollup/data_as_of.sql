-- The last list date the rollups hold (null: none).
-- params: none
-- columns: data_as_of DATE
select max(list_date) as data_as_of
from listed_daily
