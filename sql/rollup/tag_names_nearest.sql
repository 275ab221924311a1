-- The three names of a kind nearest to a name nothing answers to: stored tags (by the name
-- they are shown by) and the lexicon's names, most similar first, with their similarity (Jaro-Winkler,
-- of the lower-cased names; the caller leaves out those not near enough to be a misspelling).
-- params: $kind VARCHAR, $name VARCHAR, $lexicon VARCHAR (names joined by U+001F)
-- columns: name VARCHAR, similarity DOUBLE
with names as (
    select coalesce(d.display, g.tag) as name
    from tags g
    left join tag_display d
      on d.kind = g.kind
     and d.tag = g.tag
    where g.kind = $kind
    union
    select unnest(string_split($lexicon, chr(31))) as name
)
select
    name,
    jaro_winkler_similarity(lower(name), lower($name)) as similarity
from names
where name <> ''
order by similarity desc, name
limit 3
