-- One batch of the papers to tag (the temporary table papers_to_tag: sql/tagging/papers_to_tag.sql
-- numbered n in the order of their listing), with the text of the listing each one names.
-- $from and $to are the batch's first and last list dates, so only those days' entries are read.
-- Papers tagged ahead are joined too (a condition on p.ahead in the join made it 40x slower), but
-- their texts are not handed over: the caller takes their tags as made.
-- params: $first BIGINT, $next BIGINT, $from DATE, $to DATE
-- columns: paper_id VARCHAR, title VARCHAR, abstract VARCHAR, ai_keywords VARCHAR[], text_md5 VARCHAR, ahead BOOLEAN
select
    p.paper_id,
    case when p.ahead then null else e.title end as title,
    case when p.ahead then null else e.abstract end as abstract,
    case when p.ahead then null else e.ai_keywords end as ai_keywords,
    p.text_md5,
    p.ahead
from papers_to_tag p
left join (
    select source, list_date, revision, rank, title, abstract, ai_keywords
    from list_entries
    where list_date between $from and $to
) e
  on e.source = p.source
 and e.list_date = p.list_date
 and e.revision = p.revision
 and e.rank = p.rank
where p.n >= $first
  and p.n < $next
order by p.n
