-- How each of a paper's terms is keyed, stored beside its terms when it is tagged
-- (Tagging/TermKeys.cs): one mark per term, 'A' or 'a' for a key that is the form as written,
-- '1' or '0' for one that is the form in lower case with hyphens read as spaces (the upper case
-- mark when a form of that key ends a phrase somewhere in the paper), '-' for a term whose key an
-- earlier term of the paper has. The Rollup stage reads a paper's distinct keys through these
-- marks (paper_term_keys_in_rows) instead of keying every term with term_key()'s regular
-- expression and grouping them by paper and key.
--
-- Papers tagged before, and papers with a letter outside ASCII, have null marks, and their keys
-- are made by term_key() as before. Marking the papers tagged before here took 72 s and 10 GB at
-- a million papers (and ran out of the commands' 1 GiB); the tagger that writes the marks has a
-- new version (Lexicons.TaggerVersion), so their tags read as stale and `trendlens retag` marks them.
alter table paper_terms add column key_marks varchar;

-- A paper's keys and whether each ends a phrase, one row per paper and key, for the rows of
-- paper_terms numbered first_row to last_row (their rowid; see paper_term_forms_in_rows in
-- sql/schema/033 for why by rows). The second part, for papers without marks, restates that
-- macro with the rows picked before their terms are unnested: filtered after it, every paper's
-- terms would be keyed again.
create macro paper_term_keys_in_rows(first_row, last_row) as table
select
    paper_id,
    case when m in ('A', 'a') then form else replace(lower(form), '-', ' ') end as key,
    m in ('A', '1') as ends
from (
    select
        paper_id,
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
    key,
    bool_or(ends) as ends
from (
    select
        paper_id,
        term_key(form) as key,
        coalesce(e = '1', false) as ends
    from (
        select
            paper_id,
            unnest(string_split(terms, chr(31))) as form,
            unnest(string_split(ends, '')) as e
        from paper_terms
        where rowid between first_row and last_row
          and key_marks is null
          and length(terms) > 0
    )
    where form is not null
)
group by paper_id, key;

-- paper_term_keys (sql/schema/013), which paper_tags reads, with whether each key ends a phrase.
create or replace view paper_term_keys as
select *
from paper_term_keys_in_rows(0, 9223372036854775807);
