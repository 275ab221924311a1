-- A payload's bytes, in parts of at most 4,000 bytes (Snapshots/PayloadParts.PartBytes), in the
-- order of seq; payloads keeps what is known about each payload (sql/schema/026).
--
-- Why parts: with whole payloads in one column, DuckDB read them all again to commit a new one and
-- rewrote them all at the next checkpoint. At a million papers (718 MB in 1,515 payloads) an
-- import of one list spent 4.9 s in its commit and 5 s in its checkpoint, and the file grew by
-- 190 MB; the same bytes in parts of 4,000 bytes append and checkpoint in 12 ms.
-- The bytes stored before this migration are moved here by Snapshots/PayloadParts.MoveStored.
create table payload_parts (
    payload_id bigint not null,
    seq integer not null,
    content blob not null
);
