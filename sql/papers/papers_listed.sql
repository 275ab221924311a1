-- Every list entry of the current revisions between two list dates, in list order; with
-- $names, only the papers carrying any of those tags of kind $kind.
-- params: $from DATE, $to DATE, $kind VARCHAR (term|family|topic), $names VARCHAR (chr(31)-separated; '' = all),
--         $source VARCHAR ('' = all)
-- columns: list_date DATE, rank INTEGER, paper_id VARCHAR, title VARCHAR, source VARCHAR, upvotes INTEGER
select
    list_date,
    rank,
    paper_id,
    title,
    source,
    upvotes
from current_entries
where list_date between $from and $to
  and ($source = '' or source = $source)
  and (
      $names = ''
      or paper_id in (
          -- Terms through term_papers (sql/schema/035), which keys only the window's papers that can hold them.
          select
              paper_id
          from term_papers(case when $kind = 'term' then $names else '' end, $from, $to, $source)
          union all
          select
              paper_id
          from paper_tags
          where $names <> '' -- read only when tags are named: with none, it would unnest every paper's terms
            and $kind <> 'term'
            and kind = $kind
            and list_contains(string_split($names, chr(31)), tag)
      )
  )
order by list_date, source, rank
