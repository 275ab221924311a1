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
tagged as (
    -- Terms through term_papers (sql/schema/035), which keys only the window's papers that can hold them.
    select
        paper_id,
        tag
    from term_papers(case when $kind = 'term' then $names else '' end, $from, $to, $source)
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
