-- The size of one block of the database file.
-- params: none
-- columns: block_size BIGINT
select block_size
from pragma_database_size()
