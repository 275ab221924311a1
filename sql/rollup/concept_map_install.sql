-- Replaces the concept map and the concept statistics with those Keyphrases.Prepare made.
-- params: none
create or replace table term_concepts as select * from new_term_concepts;
create or replace table term_stats as select * from new_term_stats;
create or replace table version_stats as select * from new_version_stats;
drop table new_term_concepts;
drop table new_term_stats;
drop table new_version_stats;
