-- The name a stored tag is shown by (a term's most used form, a version as written); no row:
-- the tag itself.
-- params: $kind VARCHAR, $tag VARCHAR
-- columns: display VARCHAR
select display
from tag_display
where kind = $kind
  and tag = $tag
