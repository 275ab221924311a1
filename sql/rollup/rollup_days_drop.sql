-- Drops rollup_days, and the papers whose repeated listings were rebuilt and those whose terms
-- were read (rollup/rollup_days_papers.sql), once its days are rebuilt.
-- params: none
drop table rollup_days;
drop table repeat_papers;
drop table if exists rollup_days_papers
