-- The temporary table the concept map being learned is written to, shaped like term_concepts.
-- params: none
create or replace temp table new_term_concepts as
select *
from term_concepts
limit 0
