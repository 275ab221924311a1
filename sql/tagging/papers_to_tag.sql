-- The temporary table papers_to_tag: papers whose tags are missing or were made from another
-- text (or every paper, for retag), numbered n in the order of the listings their texts come
-- from, so that they are read, tagged and written a batch at a time. It holds no text: a
-- paper's text is that of its most recent listing, as in the papers view, and that listing is
-- named here (source, list_date, revision, rank) so that the text can be read a batch at a time
-- (sql/tagging/paper_texts.sql). Its text_md5 is stored with each entry (sql/schema/012, the
-- same as Tagger.TextMd5), so finding the pending papers reads no text. Where tags made from the
-- same text during an import are at hand (the temporary table tags_ahead: paper_id, text_md5),
-- ahead is true and no text will be read.
-- params: $all BOOLEAN
-- creates: papers_to_tag (n BIGINT, paper_id VARCHAR, text_md5 VARCHAR, ahead BOOLEAN, source VARCHAR,
--          list_date DATE, revision INTEGER, rank INTEGER)
create or replace temp table papers_to_tag as
select
    row_number() over (order by list_date, source, revision, rank) as n,
    *
from (
    with candidates as (
        -- A paper whose latest text is not the one its tags were made from has some entry with
        -- another text (that one). Finding those first leaves the latest text to be picked for
        -- a few papers instead of all (a day's import at a million papers: 0.75 s before).
        select distinct e.paper_id
        from current_entries e
        left join tag_state t
          on t.paper_id = e.paper_id
        where not $all
          and (t.paper_id is null or t.text_md5 <> e.text_md5)
    ),
    latest as (
        select
            paper_id,
            arg_max({'text_md5': text_md5, 'source': source, 'list_date': list_date, 'revision': revision, 'rank': rank}, (list_date, source)) as at
        from current_entries
        where $all
           or paper_id in (select paper_id from candidates)
        group by paper_id
    )
    select
        l.paper_id,
        l.at.text_md5,
        a.paper_id is not null as ahead,
        l.at.source,
        l.at.list_date,
        l.at.revision,
        l.at.rank
    from latest l
    left join tag_state t
      on t.paper_id = l.paper_id
    left join tags_ahead a
      on a.paper_id = l.paper_id
     and a.text_md5 = l.at.text_md5
    where $all
       or t.paper_id is null
       or t.text_md5 <> l.at.text_md5
    order by l.paper_id
)
