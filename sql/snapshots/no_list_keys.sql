-- Every day kept as no list, with the hash of the payload that said so.
-- params: none
-- columns: source VARCHAR, list_date DATE, sha256 VARCHAR
select n.source, n.list_date, p.sha256
from no_lists n
join payloads p
  on p.payload_id = n.payload_id
