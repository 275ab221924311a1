-- The id the next new payload gets.
-- params: none
-- columns: next_payload_id BIGINT
select coalesce(max(payload_id), 0) + 1 as next_payload_id
from payloads
