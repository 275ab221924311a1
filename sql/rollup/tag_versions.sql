-- How many papers each lexicon version had tagged (null: not tagged) when the rollups were last
-- built (rollup_state_record.sql): the tag freshness of the data the rollups hold.
-- params: none
-- columns: lexicon_version VARCHAR (null: untagged), papers BIGINT
select
    lexicon_version,
    papers
from rollup_tag_versions
order by papers desc
