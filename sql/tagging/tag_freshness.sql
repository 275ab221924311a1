-- How many papers are tagged with each lexicon version, and how many are not tagged at all.
-- params: none
-- columns: lexicon_version VARCHAR (null: untagged), papers BIGINT
select
    t.lexicon_version,
    count(*) as papers
from papers p
left join tag_state t
  on t.paper_id = p.paper_id
group by t.lexicon_version
order by papers desc
