-- The temporary table of the list days an incremental rebuild rebuilds (rollup_days_rebuild.sql).
-- params: none
create temp table rollup_days (source varchar, list_date date)
