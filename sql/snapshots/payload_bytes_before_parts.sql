-- The bytes of payloads $first..$last as stored before sql/schema/025, for
-- Snapshots/PayloadParts.MoveStored: a payload's whole content (empty for a streamed payload), or
-- a streamed payload's blocks from payload_chunks, in order.
-- params: $first BIGINT, $last BIGINT
-- columns: payload_id BIGINT, content BLOB
select payload_id, content
from (
    select payload_id, -1 as seq, content
    from payloads
    where payload_id between $first and $last
    union all
    select payload_id, seq, content
    from payload_chunks
    where payload_id between $first and $last
)
order by payload_id, seq
