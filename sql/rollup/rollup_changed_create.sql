-- The papers whose tag state changed since the rollups were built, as the temporary table
-- rollup_changed: the rows of tag_state that rollup_tagged lacks (side 'now') and the rows of
-- rollup_tagged that tag_state lacks (side 'then'). A paper tagged again has one row of each; a
-- new paper, a 'now' row alone. Made once at the start of a rebuild, inside its write lock, and
-- read by rollup/topics_only_changed.sql, rollup/rollup_days_changed.sql and
-- rollup/rollup_state_record.sql (which drops it): comparing the two tables row by row took
-- 0.4 s at a million papers, and each of the three did it again.
-- params: none
-- columns: none
create or replace temp table rollup_changed as
select 'now' as side, *
from (
    select paper_id, text_md5, lexicon_version, terms_version from tag_state
    except
    select paper_id, text_md5, lexicon_version, terms_version from rollup_tagged)
union all
select 'then' as side, *
from (
    select paper_id, text_md5, lexicon_version, terms_version from rollup_tagged
    except
    select paper_id, text_md5, lexicon_version, terms_version from tag_state);
