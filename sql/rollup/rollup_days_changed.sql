-- The list days whose rollups are out of date: days whose current snapshot revision is not the
-- one the rollups were built from (rollup_revisions), and days listing a paper whose tags
-- changed since (its row in tag_state differs from rollup_tagged, or exists in only one of
-- them: the temporary table rollup_changed, rollup/rollup_changed_create.sql). Also how many
-- papers changed.
-- params: none
-- columns: source VARCHAR, list_date DATE, changed_papers BIGINT
with changed as (
    select distinct paper_id
    from rollup_changed
),
days as (
    select source, list_date from (
        select source, list_date, max(revision) as revision from snapshots group by source, list_date
        except
        select source, list_date, revision from rollup_revisions)
    union
    select source, list_date from current_listings where paper_id in (select paper_id from changed)
    union
    select source, list_date from current_entries where paper_id in (select paper_id from changed)
)
select
    source,
    list_date,
    (select count(*) from changed) as changed_papers
from days
order by list_date, source
