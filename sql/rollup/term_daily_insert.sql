-- Counts the papers of each term per source and list day in [$from, $to] into the temporary table
-- term_daily (made by rollup/rollup_tables_rebuild.sql, moved on by rollup/term_daily_move.sql),
-- by the term's tag id. A range at a time: the distinct terms of every paper at once did not fit
-- in DuckDB's memory limit at a million papers; by ranges of list days, each (term, source, day)
-- is counted in one range and nothing needs adding up afterwards. Reads the temporary tables
-- term_id_papers and paper_rows (rollup/term_id_papers_build.sql), and finds the range's papers
-- there by their row: by their id, picking them out of 50 million keys took four times as long.
-- $first1..$last4 are up to four spans of rows that hold every paper of the range
-- (RollupTables.Spans): DuckDB skips the blocks of term_id_papers outside them, where a range's
-- new papers of one source are neighbours and its papers listed again, or first stored by another
-- source, are far apart.
-- params: $from DATE, $to DATE, $first1..$first4 BIGINT, $last1..$last4 BIGINT
-- columns: none
insert into term_daily
with in_range as (
    select
        l.source,
        l.list_date,
        r.paper_row
    from current_listings l
    join paper_rows r
      on r.paper_id = l.paper_id
    where l.list_date between $from and $to
),
key_tags as (
    -- Keys of concepts of several keys (the map's keys and the concepts they join), each with its
    -- concept's tag id: a key that is not here is a concept of its own, whose tag id is its id.
    select
        hash('term', key) as key_id,
        hash('term', concept) as tag_id
    from term_concepts
    union
    select
        hash('term', concept) as key_id,
        hash('term', concept) as tag_id
    from term_concepts
)
select
    t.tag_id,
    l.source,
    l.list_date,
    -- A paper has each key once, so a term of one key counts rows; a concept of several keys
    -- counts its papers, which may say it by more than one of its keys. A term is one or the other.
    count(*) filter (where not t.joined) + count(distinct t.paper_row) filter (where t.joined) as papers
from in_range l
join (
    -- paper_tags' terms (sql/schema/013), from term_id_papers, read once for this rebuild.
    select
        f.paper_row,
        coalesce(k.tag_id, f.key_id) as tag_id,
        k.key_id is not null as joined
    from term_id_papers f
    left join key_tags k
      on k.key_id = f.key_id
    where f.paper_row in (select paper_row from in_range)
      and (f.paper_row between $first1 and $last1
        or f.paper_row between $first2 and $last2
        or f.paper_row between $first3 and $last3
        or f.paper_row between $first4 and $last4)
) t
  on t.paper_row = l.paper_row
group by t.tag_id, l.source, l.list_date;
