-- The papers listed between two dates that carry any of the given tags of one kind (all papers
-- when $names is empty) and whose title or abstract contains $q (any case; '' = every paper),
-- sorted by $sort (date: newest list first; rank: best rank first; upvotes: most first), one
-- page: $page_size rows from $offset; total is how many there are in all. Tags are shown by
-- their display names.
-- params: $from DATE, $to DATE, $kind VARCHAR (term|family|topic), $names VARCHAR (chr(31)-separated; '' = all),
--         $source VARCHAR ('' = all), $q VARCHAR, $sort VARCHAR (date|rank|upvotes), $offset BIGINT, $page_size BIGINT
-- columns: paper_id VARCHAR, title VARCHAR, first_listed DATE, last_listed DATE, days_listed BIGINT,
--          best_rank INTEGER, max_upvotes INTEGER, tags VARCHAR, total BIGINT
with listed as (
    select
        paper_id,
        arg_max(title, (list_date, source)) as title,
        arg_max(abstract, (list_date, source)) as abstract,
        min(list_date) as first_listed,
        max(list_date) as last_listed,
        count(distinct list_date) as days_listed,
        min(rank) as best_rank,
        max(upvotes) as max_upvotes
    from current_entries
    where list_date between $from and $to
      and ($source = '' or source = $source)
    group by paper_id
),
matched as (
    -- Read only when tags are named: with none, it would unnest every paper's terms for nothing.
    select
        t.paper_id,
        string_agg(distinct coalesce(d.display, t.tag), ', ') as tags
    from (
        -- Terms through term_papers (sql/schema/035), which keys only the window's papers that can hold them.
        select paper_id, 'term' as kind, tag from term_papers(case when $kind = 'term' then $names else '' end, $from, $to, $source)
        union all
        select paper_id, kind, tag from paper_tags where $kind <> 'term' and kind = $kind
    ) t
    left join tag_display d
      on d.kind = t.kind
     and d.tag = t.tag
    where $names <> ''
      and list_contains(string_split($names, chr(31)), t.tag)
      and t.paper_id in (select paper_id from listed)
    group by t.paper_id
)
select
    l.paper_id,
    l.title,
    l.first_listed,
    l.last_listed,
    l.days_listed,
    l.best_rank,
    l.max_upvotes,
    coalesce(m.tags, '') as tags,
    count(*) over () as total
from listed l
left join matched m
  on m.paper_id = l.paper_id
where ($names = '' or m.paper_id is not null)
  and ($q = '' or contains(lower(l.title), lower($q)) or contains(lower(l.abstract), lower($q)))
order by
    case when $sort = 'date' then l.last_listed end desc,
    case when $sort = 'upvotes' then coalesce(l.max_upvotes, -1) end desc,
    l.best_rank,
    l.last_listed desc,
    l.paper_id
limit $page_size
offset $offset
