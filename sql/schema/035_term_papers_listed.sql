-- term_papers (sql/schema/034) for the papers listed between two days in one source (in_source
-- '' = every source): the papers of the named term concepts among those listed in the window, as
-- (paper_id, tag). Every reader of a term's papers asks for a window (the papers pages, the
-- emergence window's findings), and only the window's papers are tested and keyed: for a short
-- window, a few hundred papers instead of every paper. The window's papers are those the rollup
-- counted (current_listings, which the rollup keeps with tag_daily and the concept map), so the
-- papers behind a chart's bar are the ones it counted; it reads 20 ms sooner than current_entries.
--
-- A paper can carry a concept only by one of its keys (the name itself and the keys the concept
-- map joins to it), and a key can come only from a term whose text holds it: a key in capitals
-- ("RL", which term_key keeps as written) from the terms as written, any other key from the terms
-- folded as term_key folds them (lower case, hyphens as spaces). Only the papers whose terms hold
-- one are keyed; with more than 16 keys the test would cost more than keying, and every paper of
-- the window is keyed.
create or replace macro term_papers(names, first_day, last_day, in_source) as table
with named as (
    select unnest(string_split(names, chr(31))) as tag
    where names <> ''
),
wanted as (
    select tag as key from named
    union
    select key from term_concepts where concept in (select tag from named)
),
listed as (
    select distinct
        paper_id
    from current_listings
    where names <> ''
      and list_date between first_day and last_day
      and (in_source = '' or source = in_source)
),
candidates as (
    select
        paper_id,
        terms
    from paper_terms
    where names <> ''
      and paper_id in (select paper_id from listed)
      and (
          (select count(*) from wanted) > 16
          or paper_id in (
              -- A join with the few keys: written as a correlated exists, the same test took
              -- 0.8 s in a new process for one key on the archive; this takes 0.3 s.
              select
                  p.paper_id
              from (
                  select
                      paper_id,
                      terms,
                      replace(lower(terms), '-', ' ') as folded
                  from paper_terms
                  where paper_id in (select paper_id from listed)
              ) p, wanted w
              where case
                        when regexp_full_match(w.key, '[A-Z]{2,}') then contains(p.terms, w.key)
                        else contains(p.folded, w.key)
                    end
          )
      )
),
keyed as (
    -- A term keys to a wanted key only if its text folded as term_key folds it is that key in
    -- lower case: only those terms are keyed (a third less time for a common word).
    select
        paper_id,
        term_key(form) as key
    from (
        select
            paper_id,
            unnest(string_split(terms, chr(31))) as form
        from candidates
    )
    where replace(lower(form), '-', ' ') in (select lower(key) from wanted)
)
select distinct
    k.paper_id,
    coalesce(c.concept, k.key) as tag
from keyed k
left join term_concepts c
  on c.key = k.key
where coalesce(c.concept, k.key) in (select tag from named);
