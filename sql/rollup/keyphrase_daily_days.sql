-- Rebuilds keyphrase_daily (sql/schema/023) for the list days in the temporary table rollup_days,
-- from tag_daily as rollup_days_rebuild.sql left it, when the keyphrases themselves did not change
-- (otherwise rollup/keyphrase_daily_refill.sql rebuilds it all).
-- params: none
-- columns: none
delete from keyphrase_daily
where (source, list_date) in (select source, list_date from rollup_days);
insert into keyphrase_daily
select
    tag_id,
    source,
    list_date,
    papers
from tag_daily
where kind = 'term'
  and (source, list_date) in (select source, list_date from rollup_days)
  and tag_id in (select tag_id from keyphrase_tags)
order by list_date, tag_id;
