-- Rebuilds tag_first_seen from the current lists and tags.
-- params: none
-- columns: none
delete from tag_first_seen;
insert into tag_first_seen
select
    t.kind,
    t.tag,
    min(f.first_listed) as first_seen
from paper_tags t
join (
    select
        paper_id,
        min(list_date) as first_listed
    from current_entries
    group by paper_id
) f
  on f.paper_id = t.paper_id
group by t.kind, t.tag;
