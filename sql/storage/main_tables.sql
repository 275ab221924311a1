-- The tables of the open database's main schema.
-- params: none
-- columns: table_name VARCHAR
select table_name
from duckdb_tables()
where database_name = current_database()
  and schema_name = 'main'
order by 1
