-- One PNG of an archived review (no row: no such image).
-- params: $week VARCHAR, $version INTEGER, $name VARCHAR
-- columns: png BLOB
select png
from review_images
where week = $week
  and version = $version
  and name = $name
