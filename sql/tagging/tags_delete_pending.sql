-- Deletes the tags of the papers about to be tagged again (papers_to_tag).
-- params: none
delete from paper_terms where paper_id in (select paper_id from papers_to_tag);
delete from paper_families where paper_id in (select paper_id from papers_to_tag);
delete from paper_versions where paper_id in (select paper_id from papers_to_tag);
delete from paper_topics where paper_id in (select paper_id from papers_to_tag);
delete from tag_state where paper_id in (select paper_id from papers_to_tag);
