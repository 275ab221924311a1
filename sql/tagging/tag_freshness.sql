-- How many papers are tagged with each lexicon version, and how many are not tagged at all.
-- params: none
-- columns: lexicon_version VARCHAR (null: untagged), papers BIGINT
select lexicon_version, papers
from papers_by_lexicon_version
order by papers desc
