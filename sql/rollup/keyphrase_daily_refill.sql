-- Refills keyphrase_daily (sql/schema/023) from tag_daily and keyphrase_tags: the last step of a
-- full rebuild, and of a day-by-day one after the keyphrases were learned again.
-- params: none
-- columns: none
delete from keyphrase_daily;
insert into keyphrase_daily
select
    tag_id,
    source,
    list_date,
    papers
from tag_daily
where kind = 'term'
  and tag_id in (select tag_id from keyphrase_tags)
order by list_date, tag_id;
