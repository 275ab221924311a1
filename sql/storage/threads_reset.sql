-- DuckDB's threads back to its default (one per core).
-- params: none
reset threads
