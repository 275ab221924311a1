-- The numbers of the migrations applied to this database.
-- params: none
-- columns: version INTEGER
select version
from schema_migrations
