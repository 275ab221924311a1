-- The temporary table term_names: the name and id of every term tag a full rebuild counts
-- (rollup/term_daily_move.sql), for a full rebuild with the concept map at hand, whose statistics
-- (term_stats) may lack the keys of papers tagged since it was learned: every paper's keys, each
-- under its concept. After learning, rollup/term_stats_rebuild.sql makes it from the concepts.
-- params: none
-- columns: none
create or replace temp table term_names as
select distinct
    hash('term', tag) as tag_id,
    tag
from (
    select coalesce(c.concept, k.key) as tag
    from paper_term_keys k
    left join term_concepts c
      on c.key = k.key
);
