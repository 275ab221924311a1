-- Payloads too large to hold in memory (a JSON Lines file of many days) are stored as they are
-- read, in blocks: such a payload has an empty content in payloads (its size_bytes is the
-- real size) and its bytes here, in the order of seq.
create table payload_chunks (
    payload_id bigint not null,
    seq integer not null,
    content blob not null
);
