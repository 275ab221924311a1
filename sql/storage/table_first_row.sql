-- One row of a table, every column: reading it reads the table's first row group.
-- params: $name VARCHAR (the table's name as a quoted identifier)
select *
from query_table($name)
limit 1
