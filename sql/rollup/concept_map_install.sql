-- Replaces the concept map and the concept statistics with those Keyphrases.Prepare made, and
-- the keyphrases' tags (sql/schema/020) with them.
-- params: none
create or replace table term_concepts as select * from new_term_concepts;
create or replace table term_stats as select * from new_term_stats;
create or replace table version_stats as select * from new_version_stats;
drop table new_term_concepts;
drop table new_term_stats;
drop table new_version_stats;
delete from keyphrase_tags;
insert into keyphrase_tags
select
    hash('term', concept) as tag_id,
    concept as tag,
    display
from term_stats
where keyphrase
order by tag_id;
