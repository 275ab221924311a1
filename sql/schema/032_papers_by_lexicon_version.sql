-- How many papers each lexicon version tagged (null: not tagged), counted from the data as it is:
-- one definition for the live count (tagging/tag_freshness.sql) and the count the rollup records
-- (rollup/rollup_state_record.sql), so a stale-tags warning says the same with or without a rollup.
create view papers_by_lexicon_version as
select
    t.lexicon_version,
    count(*) as papers
from papers p
left join tag_state t
  on t.paper_id = p.paper_id
group by t.lexicon_version;
