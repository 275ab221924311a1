-- Drops rollup_days, and the papers whose repeated listings were rebuilt, once its days are rebuilt.
-- params: none
drop table rollup_days;
drop table repeat_papers
