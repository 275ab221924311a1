-- Every stored payload's hash and id.
-- params: none
-- columns: sha256 VARCHAR, payload_id BIGINT
select sha256, payload_id
from payloads
