-- Daily counts for burst detection: for each tag of one kind with at least $min_papers
-- paper-listings in [$from, $to], the list days it was on and how many papers carried it.
-- Days it was not on are zeros for the caller to fill in from rollup/listed_days.
-- params: $kind VARCHAR (term|family|topic), $from DATE, $to DATE, $min_papers INTEGER,
--         $names VARCHAR (chr(31)-separated; '' = all)
-- columns: tag VARCHAR, list_date DATE, papers BIGINT
select
    tag,
    list_date,
    papers
from tag_daily
where kind = $kind
  and list_date between $from and $to
  and ($names = '' or list_contains(string_split($names, chr(31)), tag))
qualify sum(papers) over (partition by tag) >= $min_papers
order by tag, list_date
