-- When the papers were last tagged (null: never): a new tagging is recorded later than this, so
-- the rollup signature (rollup/rollup_signature.sql) sees every tagging by the latest time alone.
-- params: none
-- columns: latest TIMESTAMP
select max(tagged_at) as latest
from tag_state
