-- How many papers are tagged, and the lexicon version of the stored term rules with a digest of
-- the rules themselves: what decides whether the keyphrase concept map is learned again (a rule
-- the tagging code adds for the same lexicons changes the digest, not the version).
-- params: none
-- columns: papers BIGINT, lexicon VARCHAR
select
    (select count(*) from tag_state) as papers,
    (select max(lexicon_version) || ':' || md5(string_agg(concat_ws(chr(31), rule, form, concept, concept_form), chr(30) order by rule, form, concept, concept_form))
     from term_rules) as lexicon
