-- One DuckDB thread: while an import stores, its own threads keep every core busy.
-- params: none
set threads = 1
