-- The key of a model version's name (the version_key macro, sql/schema/013).
-- params: $name VARCHAR
-- columns: key VARCHAR
select version_key($name) as key
