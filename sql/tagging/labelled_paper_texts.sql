-- The title and abstract of the papers labelled by hand for training the topic reader
-- (trendlens train-topics): $ids is their paper ids joined by U+001F.
-- params: $ids VARCHAR
-- columns: paper_id VARCHAR, title VARCHAR, abstract VARCHAR
select
    paper_id,
    coalesce(title, '') as title,
    coalesce(abstract, '') as abstract
from papers
where paper_id in (select unnest(string_split($ids, chr(31))));
