-- One archived review: the version asked for, or the week's latest when $version is null.
-- params: $week VARCHAR, $version INTEGER (null: the latest)
-- columns: week VARCHAR, version INTEGER, created_at TIMESTAMP, data_as_of DATE, lexicon_version VARCHAR,
--          markdown VARCHAR, html VARCHAR, numbers VARCHAR
select week, version, created_at, data_as_of, lexicon_version, markdown, html, numbers
from reviews
where week = $week
  and version = coalesce($version, (select max(version) from reviews where week = $week))
