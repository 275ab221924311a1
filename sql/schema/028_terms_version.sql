-- The version of the lexicons a paper's terms, model families and versions were made with: the
-- tagger's own version, model-families.json and keyphrases.json, without topics.json and the
-- topic reader (Lexicons.TermsVersion). When every paper's terms are of today's lexicons and
-- text, a retag after an edit of the topics rewrites only the topics. Null: not known (tags
-- made before this column), so the next retag rewrites everything.
alter table tag_state add column terms_version varchar;
