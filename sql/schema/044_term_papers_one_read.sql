-- term_papers (sql/schema/035) reading the window's papers' terms once instead of twice: the
-- papers whose terms hold a wanted key were picked by a second scan of paper_terms, and DuckDB
-- read the terms of the window again for it. On the archive the papers of "LLM" and "agent" over
-- every list take half the time (150–210 ms against 300–375 ms in-process), and the emergence
-- window's nested names 10–15 ms less in a new process. The answer is the same.
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
window_terms as (
    -- The window's papers' terms, read once: the test below and the keying both read them here.
    select
        paper_id,
        terms
    from paper_terms
    where names <> ''
      and paper_id in (select paper_id from listed)
),
candidates as (
    select
        paper_id,
        terms
    from window_terms
    where (select count(*) from wanted) > 16
    union all
    select
        paper_id,
        terms
    from window_terms
    where (select count(*) from wanted) <= 16
      and paper_id in (
          -- A join with the few keys: written as a correlated exists, the same test took
          -- 0.8 s in a new process for one key on the archive; this takes 0.3 s.
          select
              p.paper_id
          from (
              select
                  paper_id,
                  terms,
                  replace(lower(terms), '-', ' ') as folded
              from window_terms
          ) p, wanted w
          where case
                    when regexp_full_match(w.key, '[A-Z]{2,}') then contains(p.terms, w.key)
                    else contains(p.folded, w.key)
                end
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
