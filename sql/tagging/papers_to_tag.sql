-- Papers whose tags are missing or were made from another text (or every paper, for retag),
-- with their texts, except where tags made from the same text during an import are at hand
-- (the temporary table tags_ahead: paper_id, text_md5); those come back with ahead = true and
-- no text. Tagger.TextMd5 computes the same text_md5 in .NET.
-- params: $all BOOLEAN
-- columns: paper_id VARCHAR, title VARCHAR, abstract VARCHAR, ai_keywords VARCHAR[], text_md5 VARCHAR, ahead BOOLEAN
with texts as (
    select
        paper_id,
        title,
        abstract,
        ai_keywords,
        md5(title || chr(10) || abstract || chr(10) || coalesce(array_to_string(ai_keywords, chr(31)), '')) as text_md5
    from papers
),
pending as (
    select
        x.*,
        a.paper_id is not null as ahead
    from texts x
    left join tag_state t
      on t.paper_id = x.paper_id
    left join tags_ahead a
      on a.paper_id = x.paper_id
     and a.text_md5 = x.text_md5
    where $all
       or t.paper_id is null
       or t.text_md5 <> x.text_md5
)
select
    paper_id,
    case when ahead then null else title end as title,
    case when ahead then null else abstract end as abstract,
    case when ahead then null else ai_keywords end as ai_keywords,
    text_md5,
    ahead
from pending
order by paper_id
