-- The last step of the full rebuild (rollup/rollup_tables_rebuild.sql), once
-- rollup/tag_daily_named_move.sql and rollup/term_daily_move.sql have moved every count into tags
-- and tag_daily: the check of
-- the tags' ids, and the revisions the rollups were built from.
-- params: none
-- columns: none

-- Two tags with one id would merge their counts; stop instead (not expected with 64-bit ids).
select
    case
        when count(distinct tag_id) <> count(*) then error('two tags share an id in the tags table; report this')
    end
from tags;

drop table tag_daily_named;
drop table term_daily;

delete from rollup_revisions;
insert into rollup_revisions
select
    source,
    list_date,
    max(revision) as revision
from snapshots
group by source, list_date;
