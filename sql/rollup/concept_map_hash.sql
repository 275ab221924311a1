-- A hash of a concept map (term_concepts or new_term_concepts): equal hashes, the same map.
-- params: $table VARCHAR
-- columns: hash VARCHAR
select count(*) || ':' || coalesce(bit_xor(hash(key, concept)), 0) as hash
from query_table($table)
