-- Every payload and its size, for Snapshots/PayloadParts.MoveStored (sql/schema/025).
-- params: none
-- columns: payload_id BIGINT, size_bytes BIGINT
select payload_id, size_bytes
from payloads
order by payload_id
