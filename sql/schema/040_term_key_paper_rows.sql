-- paper_term_keys_in_rows (sql/schema/039) with each paper's row of paper_terms (paper_row, its
-- rowid) beside its id. The Rollup stage holds every paper's keys in a temporary table while it
-- learns and counts them (50 million rows at a million papers): by the row number it finds and
-- joins a range of days' papers there several times faster than by their id, and the table is
-- half the size. Row numbers are only compared within one transaction
-- (rollup/term_id_papers_build.sql), since DuckDB may renumber rows when it compacts a table.
-- A macro is replaced whole, so this restates 039's with the new column.
create or replace macro paper_term_keys_in_rows(first_row, last_row) as table
select
    paper_id,
    paper_row,
    case when m in ('A', 'a') then form else replace(lower(form), '-', ' ') end as key,
    m in ('A', '1') as ends
from (
    select
        paper_id,
        rowid as paper_row,
        unnest(string_split(terms, chr(31))) as form,
        unnest(string_split(key_marks, '')) as m
    from paper_terms
    where rowid between first_row and last_row
      and key_marks is not null
      and length(terms) > 0
)
where m <> '-'
union all
select
    paper_id,
    paper_row,
    key,
    bool_or(ends) as ends
from (
    select
        paper_id,
        paper_row,
        term_key(form) as key,
        coalesce(e = '1', false) as ends
    from (
        select
            paper_id,
            rowid as paper_row,
            unnest(string_split(terms, chr(31))) as form,
            unnest(string_split(ends, '')) as e
        from paper_terms
        where rowid between first_row and last_row
          and key_marks is null
          and length(terms) > 0
    )
    where form is not null
)
group by paper_id, paper_row, key;

create or replace view paper_term_keys as
select *
from paper_term_keys_in_rows(0, 9223372036854775807);
