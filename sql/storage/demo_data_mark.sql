-- Marks this database as one of generated demo lists (sql/schema/042), before they are written.
-- params: $built_at TIMESTAMP
-- columns: none
insert into demo_data values ($built_at)
