-- The papers listed in [$from, $to] that carry each of the named tags of one kind: for telling
-- apart two listed tags that are one finding (docs/emergence.md, "One entry per finding").
-- The tags are paper_tags' (sql/schema/013), read for the window's papers only.
-- params: $kind VARCHAR (term|family|topic|version), $from DATE, $to DATE,
--         $names VARCHAR (chr(31)-separated tags), $source VARCHAR ('' = all)
-- columns: tag VARCHAR, paper_id VARCHAR
with listed as (
    select distinct
        paper_id
    from current_listings
    where list_date between $from and $to
      and ($source = '' or source = $source)
),
wanted as (
    -- The term keys of the named concepts: the names and the keys the concept map gives them.
    select
        unnest(string_split($names, chr(31))) as key
    where $kind = 'term'
    union
    select
        key
    from term_concepts
    where $kind = 'term'
      and list_contains(string_split($names, chr(31)), concept)
),
candidates as (
    -- The papers whose terms can hold one of those keys: a case- and hyphen-blind substring test
    -- (term_key only folds case and hyphens) that spares splitting every term of every paper in
    -- the window (0.25 s for six months of the archive). The exact test follows. A paper without
    -- terms holds none; testing for it (terms <> '') read every paper's terms, not the window's
    -- (0.1 s of a cold command on the archive).
    select
        p.paper_id,
        p.terms
    from (
        select
            paper_id,
            terms,
            replace(lower(terms), '-', ' ') as folded
        from paper_terms
        where $kind = 'term'
          and paper_id in (select paper_id from listed)
    ) p
    where exists (select 1 from wanted w where contains(p.folded, lower(w.key)))
),
tagged as (
    select
        f.paper_id,
        coalesce(c.concept, f.key) as tag
    from (
        select
            paper_id,
            term_key(unnest(string_split(terms, chr(31)))) as key
        from candidates
    ) f
    left join term_concepts c
      on c.key = f.key
    union all
    select paper_id, family as tag from paper_families where $kind = 'family' and paper_id in (select paper_id from listed)
    union all
    select paper_id, version_key(version) as tag from paper_versions where $kind = 'version' and paper_id in (select paper_id from listed)
    union all
    select paper_id, topic as tag from paper_topics where $kind = 'topic' and paper_id in (select paper_id from listed)
)
select distinct
    tag,
    paper_id
from tagged
where list_contains(string_split($names, chr(31)), tag)
order by tag, paper_id
