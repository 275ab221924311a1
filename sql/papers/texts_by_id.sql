-- The title and abstract of papers named by id: the labelled papers `trendlens train-topics`
-- learns from, and the papers of a /papers page whose topics it explains. $ids is the paper
-- ids joined by U+001F; a paper listed in several sources may come more than once.
-- params: $ids VARCHAR
-- columns: paper_id VARCHAR, title VARCHAR, abstract VARCHAR
select
    paper_id,
    coalesce(title, '') as title,
    coalesce(abstract, '') as abstract
from papers
where paper_id in (select unnest(string_split($ids, chr(31))));
