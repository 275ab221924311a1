-- For one (source, list_date): the revision already holding this exact payload (0 if none)
-- and the latest revision stored (0 if none).
-- params: $source VARCHAR, $date DATE, $sha VARCHAR
-- columns: same INTEGER, latest INTEGER
select
    coalesce(max(s.revision) filter (where p.sha256 = $sha), 0) as same,
    coalesce(max(s.revision), 0) as latest
from snapshots s
join payloads p
  on p.payload_id = s.payload_id
where s.source = $source
  and s.list_date = $date
