-- Whether this database holds generated demo lists (sql/schema/042, Dashboards/DemoData.cs).
-- params: none
-- columns: marked BOOLEAN
select count(*) > 0 as marked
from demo_data
