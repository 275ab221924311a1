-- Settings of the native database, made when the first connection to a file opens (see
-- Storage/Database.cs for why each one): no FSST compression of strings, and no insertion
-- order kept for statements that do not ask for one. The memory limit follows (memory_limit.sql).
-- params: none
set disabled_compression_methods = 'fsst';
set preserve_insertion_order = false;
