-- Deletes the lexicons' term rules, before the current lexicons' rules are written.
-- params: none
delete from term_rules
