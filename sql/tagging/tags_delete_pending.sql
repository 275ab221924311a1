-- Deletes the tags of papers about to be tagged again: those numbered first to next - 1 in
-- papers_to_tag (sql/tagging/papers_to_tag.sql).
-- params: $first BIGINT, $next BIGINT
delete from paper_terms where paper_id in (select paper_id from papers_to_tag where n >= $first and n < $next);
delete from paper_families where paper_id in (select paper_id from papers_to_tag where n >= $first and n < $next);
delete from paper_versions where paper_id in (select paper_id from papers_to_tag where n >= $first and n < $next);
delete from paper_topics where paper_id in (select paper_id from papers_to_tag where n >= $first and n < $next);
delete from tag_state where paper_id in (select paper_id from papers_to_tag where n >= $first and n < $next);
