-- Papers whose tags are missing or were made from another text (or every paper, for retag).
-- params: $all BOOLEAN
-- columns: paper_id VARCHAR, title VARCHAR, abstract VARCHAR, ai_keywords VARCHAR[], text_md5 VARCHAR
with texts as (
    select
        paper_id,
        title,
        abstract,
        ai_keywords,
        md5(title || chr(10) || abstract || chr(10) || coalesce(array_to_string(ai_keywords, chr(31)), '')) as text_md5
    from papers
)
select
    x.paper_id,
    x.title,
    x.abstract,
    x.ai_keywords,
    x.text_md5
from texts x
left join tag_state t
  on t.paper_id = x.paper_id
where $all
   or t.paper_id is null
   or t.text_md5 <> x.text_md5
order by x.paper_id
