-- What the keyphrase concept map and statistics were last learned from: the number of tagged
-- papers and the lexicon version. They are learned again only when the papers grew by a
-- twentieth since, or the lexicons changed (Rollup/RollupTables.cs); a new day alone is rolled
-- up with the map at hand.
alter table rollup_state add column learned_papers bigint;
alter table rollup_state add column learned_lexicon varchar;
