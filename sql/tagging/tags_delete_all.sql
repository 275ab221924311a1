-- Deletes every paper's tags, before a retag writes them all again.
-- params: none
delete from paper_terms;
delete from paper_families;
delete from paper_versions;
delete from paper_topics;
delete from tag_state;
