-- The lexicon version most papers are tagged with (null: none tagged).
-- params: none
-- columns: lexicon_version VARCHAR
select lexicon_version
from tag_state
group by lexicon_version
order by count(*) desc
limit 1
