-- Deletes every paper's topics, before a retag that makes only the topics again writes them all.
-- params: none
delete from paper_topics
