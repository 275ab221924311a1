-- The papers carrying each of the named term concepts (names: tags as stored, separated by
-- chr(31)), as (paper_id, tag): what paper_tags (sql/schema/013) gives for kind 'term' and those
-- tags, without keying every term of every paper (1.2–1.6 s on the archive). A paper can carry a
-- concept only by one of its keys (the name itself and the keys the concept map joins to it), and
-- a key can come only from a term whose text holds it: a key in capitals ("RL", which term_key
-- keeps as written) from the terms as written, any other key from the terms folded as term_key
-- folds them (lower case, hyphens as spaces). Only the papers whose terms hold one are keyed
-- (0.28 s instead of 0.93 s for "reinforcement learning", warm).
create macro term_papers(names) as table
with named as (
    select unnest(string_split(names, chr(31))) as tag
    where names <> ''
),
wanted as (
    select tag as key from named
    union
    select key from term_concepts where concept in (select tag from named)
),
candidates as (
    -- With many keys the test would cost more than keying every paper: then every paper is keyed.
    select
        paper_id,
        terms
    from (
        select
            paper_id,
            terms,
            replace(lower(terms), '-', ' ') as folded
        from paper_terms
        where names <> ''
    ) p
    where (select count(*) from wanted) > 16
       or exists (
          select 1
          from wanted w
          where case
                    when regexp_full_match(w.key, '[A-Z]{2,}') then contains(p.terms, w.key)
                    else contains(p.folded, w.key)
                end
      )
),
keyed as (
    select
        paper_id,
        term_key(unnest(string_split(terms, chr(31)))) as key
    from candidates
)
select distinct
    k.paper_id,
    coalesce(c.concept, k.key) as tag
from keyed k
left join term_concepts c
  on c.key = k.key
where coalesce(c.concept, k.key) in (select tag from named);
