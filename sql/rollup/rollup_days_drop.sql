-- Drops rollup_days once its days are rebuilt.
-- params: none
drop table rollup_days
