-- Papers per tag per period in one source's lists and in a base source's lists, each counted as
-- in tag_share_by_period (distinct papers per period), for the periods in which both sources have
-- lists: what query lift, the Sources dashboard and the weekly review divide (Rollup/Lift.cs has
-- the ratio and its interval). A tag comes back in each period in which either source carries it,
-- with 0 papers where the other has none (a tag named in $names, in every period). $grain 'all' makes the whole range one period,
-- named by $from: date_trunc to the millennium puts every list date of this one in one bucket.
-- $top keeps the tags whose shares differ most surely, half of them over-represented and half
-- under (a side with fewer gives its room to the other): the largest |ln lift| / its standard
-- error over the whole range on each side, with 0.5 added to every count so a tag one list
-- lacks still ranks (0 keeps all); $names, if not empty (chr(31)-separated), keeps only those tags. Terms
-- are named by their concept and shown by its display form (tag_display).
-- params: $kind VARCHAR (term|family|topic), $from DATE, $to DATE, $grain VARCHAR (day|week|month|all),
--         $top INTEGER, $names VARCHAR, $source VARCHAR, $base VARCHAR
-- columns: period DATE, tag VARCHAR, papers BIGINT, listed BIGINT, base_papers BIGINT, base_listed BIGINT
with picks as (
    select
        period,
        tag,
        papers,
        listed
    from tag_share_by_period($kind, $from, $to, case when $grain = 'all' then 'millennium' else $grain end, 0, $names, $source)
),
base as (
    select
        period,
        tag,
        papers,
        listed
    from tag_share_by_period($kind, $from, $to, case when $grain = 'all' then 'millennium' else $grain end, 0, $names, $base)
),
periods as (
    select distinct
        p.period,
        p.listed,
        b.listed as base_listed
    from picks p
    join base b
      on b.period = p.period
),
carried as (
    select tag from picks where papers > 0 or $names <> ''
    union
    select tag from base where papers > 0 or $names <> ''
),
counts as (
    select
        r.period,
        t.tag,
        coalesce(p.papers, 0) as papers,
        r.listed,
        coalesce(b.papers, 0) as base_papers,
        r.base_listed
    from periods r
    cross join carried t
    left join picks p
      on p.period = r.period
     and p.tag = t.tag
    left join base b
      on b.period = r.period
     and b.tag = t.tag
),
totals as (
    select
        tag,
        sum(papers) + 0.5 as k1,
        sum(listed) + 0.5 as n1,
        sum(base_papers) + 0.5 as k2,
        sum(base_listed) + 0.5 as n2
    from counts
    group by tag
),
sure as (
    select
        tag,
        ln((k1 / n1) / (k2 / n2)) > 0 as over,
        abs(ln((k1 / n1) / (k2 / n2))) / sqrt(greatest(1 / k1 - 1 / n1 + 1 / k2 - 1 / n2, 1e-12)) as z
    from totals
),
sided as (
    -- Half of $top from each side (the over-represented one takes an odd one), most sure first;
    -- a side with fewer tags leaves its room to the other.
    select
        tag,
        z,
        row_number() over (partition by over order by z desc, tag)
            <= case when over then ceil($top / 2.0) else floor($top / 2.0) end as in_half
    from sure
),
chosen as (
    select
        tag
    from sided
    order by in_half desc, z desc, tag
    limit case when $top > 0 then $top else 1000000000 end
)
select
    case when $grain = 'all' then $from else c.period end as period,
    coalesce(d.display, c.tag) as tag,
    c.papers,
    c.listed,
    c.base_papers,
    c.base_listed
from counts c
left join (
    -- Only the named tags' names, when tags are named (as in term_share_by_period.sql).
    select
        tag,
        display
    from tag_display
    where kind = $kind
      and ($names = '' or tag in (select unnest(string_split($names, chr(31)))))
) d
  on d.tag = c.tag
where c.tag in (select tag from chosen)
  -- A week compares the same tags whichever range holds it.
  and (c.papers > 0 or c.base_papers > 0 or $names <> '')
order by period, tag
