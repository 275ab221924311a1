-- Every stored revision with its payload's hash: what a snapshot batch must know to tell a
-- repeated payload from a new revision.
-- params: none
-- columns: source VARCHAR, list_date DATE, revision INTEGER, sha256 VARCHAR
select
    s.source,
    s.list_date,
    s.revision,
    p.sha256
from snapshots s
join payloads p
  on p.payload_id = s.payload_id
order by s.source, s.list_date, s.revision
