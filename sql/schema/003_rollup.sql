-- Stage 5, Rollup: every tag of every paper in one shape, so emergence and bursts are one
-- query each for keywords, model families and topics (filter on kind).
create view paper_tags as
select paper_id, 'term' as kind, unnest(terms) as tag from paper_terms
union all
select paper_id, 'family' as kind, family as tag from paper_families
union all
select paper_id, 'topic' as kind, topic as tag from paper_topics;
