-- Adds one list day to rollup_days.
-- params: $source VARCHAR, $list_date DATE
insert into rollup_days
values ($source, $list_date)
