-- The MD5 of each entry's text, as the Tag stage compares it (Tagger.TextMd5: title, abstract
-- and ai_keywords joined by U+001F, separated by line feeds), stored when the entry is: the Tag
-- stage used to hash the text of every paper on every import to find the changed ones (90 ms
-- for the Daily Papers archive, growing with the database).
alter table list_entries add column text_md5 varchar;

update list_entries
set text_md5 = md5(title || chr(10) || abstract || chr(10) || coalesce(array_to_string(ai_keywords, chr(31)), ''));

-- The views select e.*, so they are made again to take the new column.
create or replace view current_entries as
select e.*
from list_entries e
join current_snapshots s
  on s.source = e.source
 and s.list_date = e.list_date
 and s.revision = e.revision;

create or replace view papers as
select
    paper_id,
    arg_max(arxiv_id, list_date) as arxiv_id,
    arg_max(title, list_date) as title,
    arg_max(abstract, list_date) as abstract,
    arg_max(authors, list_date) as authors,
    arg_max(published_at, list_date) as published_at,
    arg_max(ai_keywords, list_date) as ai_keywords,
    arg_max(github_repo, list_date) as github_repo,
    arg_max(github_stars, list_date) as github_stars,
    arg_max(project_page, list_date) as project_page,
    arg_max(organization, list_date) as organization,
    arg_max(organization_name, list_date) as organization_name,
    min(list_date) as first_listed,
    max(list_date) as last_listed,
    count(distinct list_date) as days_listed,
    arg_max(text_md5, list_date) as text_md5
from current_entries
group by paper_id;
