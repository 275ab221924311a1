-- Adds to repeat_listings (sql/schema/022) the listings in the temporary view repeat_scope of the
-- papers listed there more than once: per source, and over all sources pooled. repeat_scope holds
-- every listing of each paper it holds: all of current_listings for a full rebuild, the papers of
-- the rebuilt list days for a day-by-day one.
-- params: none
-- columns: none
insert into repeat_listings
select
    l.source as counted_in,
    l.source,
    l.list_date,
    l.paper_id
from repeat_scope l
where (l.source, l.paper_id) in (
    select source, paper_id from repeat_scope group by all having count(*) > 1)
union all
select
    '' as counted_in,
    l.source,
    l.list_date,
    l.paper_id
from repeat_scope l
where l.paper_id in (
    select paper_id from repeat_scope group by all having count(*) > 1)
order by list_date;

drop view repeat_scope;
