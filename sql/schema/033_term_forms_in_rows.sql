-- paper_term_forms (sql/schema/021) for the rows of paper_terms numbered first_row to last_row
-- (their rowid). A rollup of a few days reads its papers' terms this way, a range of neighbouring
-- rows at a time (rollup/term_forms_build_rows.sql): selected by paper id alone, DuckDB reads
-- every paper's terms to pick out a few. The test for a paper without terms is length(terms) > 0:
-- as terms <> '' it was tried on every row of the table before the range was applied. The view
-- paper_term_forms becomes this macro over every row, so the two read a paper's terms alike.
create macro paper_term_forms_in_rows(first_row, last_row) as table
select
    paper_id,
    form,
    term_key(form) as key,
    coalesce(e = '1', false) as ends
from (
    select
        paper_id,
        unnest(string_split(terms, chr(31))) as form,
        unnest(string_split(ends, '')) as e
    from paper_terms
    where rowid between first_row and last_row
      and length(terms) > 0
)
where form is not null;

create or replace view paper_term_forms as
select *
from paper_term_forms_in_rows(0, 9223372036854775807);
