-- A paper's text and details come from its latest listing; when two sources list it on the
-- same latest day, from the source whose name sorts last. Picking by the day alone left the tie
-- to the order DuckDB happened to aggregate in, so the title could come from one source and the
-- abstract from the other, and the text a paper was tagged from could differ from one run to the
-- next (sql/tagging/papers_to_tag.sql and the papers queries break the tie the same way).
create or replace view papers as
select
    paper_id,
    arg_max(arxiv_id, (list_date, source)) as arxiv_id,
    arg_max(title, (list_date, source)) as title,
    arg_max(abstract, (list_date, source)) as abstract,
    arg_max(authors, (list_date, source)) as authors,
    arg_max(published_at, (list_date, source)) as published_at,
    arg_max(ai_keywords, (list_date, source)) as ai_keywords,
    arg_max(github_repo, (list_date, source)) as github_repo,
    arg_max(github_stars, (list_date, source)) as github_stars,
    arg_max(project_page, (list_date, source)) as project_page,
    arg_max(organization, (list_date, source)) as organization,
    arg_max(organization_name, (list_date, source)) as organization_name,
    min(list_date) as first_listed,
    max(list_date) as last_listed,
    count(distinct list_date) as days_listed,
    arg_max(text_md5, (list_date, source)) as text_md5
from current_entries
group by paper_id;
