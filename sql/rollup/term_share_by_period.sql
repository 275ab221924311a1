-- Papers per keyword (found in the paper's text) per period, as a share of the distinct papers listed in the period,
-- with the period's coverage. Periods start on their first day (ISO weeks on Monday). A
-- period without any list has no rows (a gap, not a zero); in a period with lists, a chosen
-- tag that no paper carries has papers = 0 (and so does a tag named in $names). $top keeps the
-- tags with the most papers over the whole range (0 keeps all); $names, if not empty, keeps
-- only the tags it lists (separated by chr(31)); $source, if not empty, counts only that
-- source's lists. The counting is the tag_share_by_period macro (sql/schema/007).
-- params: $from DATE, $to DATE, $grain VARCHAR (day|week|month), $top INTEGER, $names VARCHAR,
--         $source VARCHAR
-- Terms are named by their concept ($names) and shown by its display form (keyphrase_tags, term_stats).
-- columns: period DATE, term VARCHAR, papers BIGINT, share DOUBLE, listed BIGINT,
--          days_listed BIGINT, days_expected BIGINT
with s as (
    select * from tag_share_by_period('term', $from, $to, $grain, $top, $names, $source)
),
unnamed as (
    -- The terms shown that are not keyphrases: only these are looked up among every concept
    -- (term_stats, 1.3 million rows at a million papers; with none, DuckDB does not read it).
    select tag from s
    except
    select tag from keyphrase_tags
)
select
    s.period,
    coalesce(k.display, d.display, s.tag) as term,
    s.papers,
    s.share,
    s.listed,
    s.days_listed,
    s.days_expected
from s
left join keyphrase_tags k
  on k.tag = s.tag
left join (
    select
        concept as tag,
        display
    from term_stats
    where concept in (select tag from unnamed)
) d
  on d.tag = s.tag
order by s.period, s.papers desc, term
