-- Every quarantined payload's hash, source and reason.
-- params: none
-- columns: sha256 VARCHAR, source VARCHAR, error VARCHAR
select p.sha256, q.source, q.error
from quarantine q
join payloads p
  on p.payload_id = q.payload_id
