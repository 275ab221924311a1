-- Papers whose tags are missing or were made from another text (or every paper, for retag),
-- with their texts, except where tags made from the same text during an import are at hand
-- (the temporary table tags_ahead: paper_id, text_md5); those come back with ahead = true and
-- no text. A paper's text is that of its most recent listing, as in the papers view; its
-- text_md5 is stored with each entry (sql/schema/012, the same as Tagger.TextMd5), so finding
-- the pending papers reads no text, and only the papers to tag here have theirs read.
-- params: $all BOOLEAN
-- columns: paper_id VARCHAR, title VARCHAR, abstract VARCHAR, ai_keywords VARCHAR[], text_md5 VARCHAR, ahead BOOLEAN
with latest as (
    select
        paper_id,
        arg_max(text_md5, list_date) as text_md5
    from current_entries
    group by paper_id
),
pending as (
    select
        l.paper_id,
        l.text_md5,
        a.paper_id is not null as ahead
    from latest l
    left join tag_state t
      on t.paper_id = l.paper_id
    left join tags_ahead a
      on a.paper_id = l.paper_id
     and a.text_md5 = l.text_md5
    where $all
       or t.paper_id is null
       or t.text_md5 <> l.text_md5
),
texts as (
    select
        paper_id,
        arg_max(title, list_date) as title,
        arg_max(abstract, list_date) as abstract,
        arg_max(ai_keywords, list_date) as ai_keywords
    from current_entries
    where paper_id in (select paper_id from pending where not ahead)
    group by paper_id
)
select
    p.paper_id,
    x.title,
    x.abstract,
    x.ai_keywords,
    p.text_md5,
    p.ahead
from pending p
left join texts x
  on x.paper_id = p.paper_id
order by p.paper_id
