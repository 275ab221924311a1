-- Whether a tag of a kind is stored.
-- params: $kind VARCHAR, $tag VARCHAR
-- columns: stored BOOLEAN
select count(*) > 0 as stored
from tags
where kind = $kind
  and tag = $tag
