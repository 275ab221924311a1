-- The concept a term key belongs to; no row: the key is its own concept.
-- params: $key VARCHAR
-- columns: concept VARCHAR
select concept
from term_concepts
where key = $key
