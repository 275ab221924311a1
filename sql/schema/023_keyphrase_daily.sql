-- tag_daily's rows of the terms that are keyphrases (keyphrase_tags, sql/schema/020): a few
-- hundred thousand rows at a million papers against 10.7 million rows of term counts per day,
-- which keyphrase reads (emergence, keyword changes, bursts, top keyphrases) otherwise scan to
-- pick out the keyphrases. Refilled after every rollup build (rollup/keyphrase_daily_refill.sql).
create table keyphrase_daily (
    tag_id ubigint not null,
    source varchar not null,
    list_date date not null,
    papers bigint not null
);

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
