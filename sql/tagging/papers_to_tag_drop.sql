-- Drops papers_to_tag once every batch is tagged.
-- params: none
drop table papers_to_tag
