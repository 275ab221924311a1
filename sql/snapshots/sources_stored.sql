-- The sources with stored lists.
-- params: none
-- columns: source VARCHAR
select distinct source
from snapshots
order by source
