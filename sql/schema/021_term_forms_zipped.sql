-- paper_term_forms (sql/schema/013) pairs each term with its character of paper_terms.ends by
-- unnesting the two side by side, which is cheaper than cutting the character out of ends at each
-- term's position: every full rollup reads all of the terms through this view (1.6 million for the
-- archive). A term without a character (papers tagged before ends was kept) does not end a phrase.
create or replace view paper_term_forms as
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
    where terms <> ''
)
where form is not null;
