-- How many papers are tagged, and the latest lexicon version of the stored term rules: what
-- decides whether the keyphrase concept map is learned again.
-- params: none
-- columns: papers BIGINT, lexicon VARCHAR
select
    (select count(*) from tag_state) as papers,
    (select max(lexicon_version) from term_rules) as lexicon
