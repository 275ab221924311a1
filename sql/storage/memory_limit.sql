-- DuckDB's memory limit for the native database: larger work spills to a temporary file.
-- params: $megabytes INTEGER
set memory_limit = $megabytes || 'MiB'
