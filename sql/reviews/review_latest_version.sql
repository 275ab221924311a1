-- The latest archived version of a week's review (null: none).
-- params: $week VARCHAR (ISO week, e.g. 2025-W07)
-- columns: version INTEGER
select max(version) as version
from reviews
where week = $week
