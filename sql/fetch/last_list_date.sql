-- The latest list date stored for a source (null when it has none).
-- params: $source VARCHAR
-- columns: list_date DATE
select max(list_date) as list_date
from snapshots
where source = $source
