-- The keyphrase rules changed (a phrase that says an acronym joins the phrase that says its long
-- form; a one-word name starts with a letter): the concept map and statistics are learned again
-- by the next rollup, which then rebuilds every rollup table.
delete from rollup_state;
