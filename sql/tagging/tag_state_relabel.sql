-- After a retag that made only the topics again: every paper's tags are now of this lexicon
-- version, made at this time (its terms, families and versions were already of today's
-- lexicons for them: sql/tagging/papers_to_tag_terms_stale.sql).
-- params: $version VARCHAR, $tagged_at TIMESTAMP
update tag_state
set lexicon_version = $version,
    tagged_at = $tagged_at
