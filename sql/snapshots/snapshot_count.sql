-- How many snapshot revisions are stored (0: an empty database).
-- params: none
-- columns: snapshots BIGINT
select count(*) as snapshots
from snapshots
