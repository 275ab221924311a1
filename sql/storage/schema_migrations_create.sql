-- The table of applied migrations (sql/schema/NNN_name.sql); made before any migration runs.
-- params: none
create table if not exists schema_migrations (
    version integer primary key,
    name varchar not null,
    applied_at timestamp not null
)
