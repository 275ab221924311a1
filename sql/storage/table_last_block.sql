-- The highest block a table's storage uses in the file, or -1 when it uses none.
-- params: $name VARCHAR (the table's name as a quoted identifier)
-- columns: last_block BIGINT
select coalesce(max(block_id), -1) as last_block
from pragma_storage_info($name)
