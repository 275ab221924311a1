-- The last step of the full rebuild (rollup/rollup_tables_rebuild.sql): tags and tag_daily from
-- tag_daily_named, and the revisions the rollups were built from.
-- params: none
-- columns: none
delete from tags;
insert into tags
select
    kind,
    tag,
    tag_id,
    min(list_date) as first_seen
from tag_daily_named
group by kind, tag, tag_id;

-- Two tags with one id would merge their counts; stop instead (not expected with 64-bit ids).
select
    case
        when count(distinct tag_id) <> count(*) then error('two tags share an id in the tags table; report this')
    end
from tags;

-- Every other kind's rows first, then the terms' (a hundred times as many), each part by day: a
-- family or topic read skips the blocks of term counts by their kind's bounds instead of reading
-- them all, and a term read still skips by day. Sorting by kind itself took twice as long.
delete from tag_daily;
insert into tag_daily
select
    kind,
    tag_id,
    source,
    list_date,
    papers
from tag_daily_named
order by kind = 'term', list_date, tag_id;

drop table tag_daily_named;

delete from rollup_revisions;
insert into rollup_revisions
select
    source,
    list_date,
    max(revision) as revision
from snapshots
group by source, list_date;
