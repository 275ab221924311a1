-- A stored tag of a kind with this name in any case, or no row.
-- params: $kind VARCHAR, $name VARCHAR
-- columns: tag VARCHAR
select tag
from tags
where kind = $kind
  and lower(tag) = lower($name)
limit 1
