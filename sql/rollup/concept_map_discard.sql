-- Drops what Keyphrases.Prepare made, when nothing is to be rebuilt after all.
-- params: none
drop table if exists term_id_papers;
drop table if exists paper_rows;
drop table if exists term_names;
drop table if exists new_term_concepts;
drop table if exists new_term_stats;
drop table if exists new_version_stats;
