-- The terms version (sql/schema/028) of each paper's tags as the rollups were last built from
-- them: when every paper's text and terms version are as then, what changed is its topics, and
-- only the topics' rollup rows are made again (sql/rollup/topics_only_changed.sql). From here on
-- term_rules.lexicon_version holds the terms version too: the keyphrase rules come from the
-- families and keyphrases alone.
alter table rollup_tagged add column terms_version varchar;
