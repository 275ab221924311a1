-- Drops tags_ahead once papers_to_tag is made from it.
-- params: none
drop table tags_ahead
