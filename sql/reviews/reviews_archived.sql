-- Every archived review, newest week first, each week's versions newest first.
-- params: none
-- columns: week VARCHAR, version INTEGER, created_at TIMESTAMP
select week, version, created_at
from reviews
order by week desc, version desc
