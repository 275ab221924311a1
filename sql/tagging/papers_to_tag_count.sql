-- How many papers are to be tagged (papers_to_tag), and how many of them were tagged ahead.
-- params: none
-- columns: papers BIGINT, ahead BIGINT
select
    count(*) as papers,
    count(*) filter (where ahead) as ahead
from papers_to_tag
