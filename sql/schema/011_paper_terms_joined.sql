-- A paper's terms as one string, joined by U+001F, instead of a list of strings. DuckDB stores
-- and checkpoints ~160 list elements per paper slowly (1.6 million in the Daily Papers archive:
-- about 0.6 s to write and 1 s to checkpoint), while one string per paper takes tens of
-- milliseconds and splits back faster than the list unnests. Terms never contain U+001F: the
-- tokenizer keeps letters, digits and a few joiners only.
create table paper_terms_joined as
select
    paper_id,
    array_to_string(terms, chr(31)) as terms,
    array_to_string(ai_terms, chr(31)) as ai_terms
from paper_terms;

drop view paper_tags;
drop table paper_terms;
alter table paper_terms_joined rename to paper_terms;

-- An empty string is a paper without terms: it yields no rows.
create view paper_tags as
select paper_id, 'term' as kind, unnest(string_split(terms, chr(31))) as tag from paper_terms where terms <> ''
union all
select paper_id, 'family' as kind, family as tag from paper_families
union all
select paper_id, 'topic' as kind, topic as tag from paper_topics;
