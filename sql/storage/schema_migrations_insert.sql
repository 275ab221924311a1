-- Records one migration as applied.
-- params: $version INTEGER, $name VARCHAR
insert into schema_migrations
values ($version, $name, now()::timestamp)
