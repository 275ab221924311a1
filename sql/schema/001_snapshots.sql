-- Snapshot store: raw payloads kept verbatim, snapshots keyed by (source, list_date, revision),
-- normalized list entries per snapshot, and quarantined payloads with their error.
-- Nothing here is ever updated or deleted: a changed list is a new revision.

-- payload_id is assigned by the single writer (see SnapshotBatch), not by a sequence.
create table payloads (
    payload_id bigint primary key,
    sha256 varchar not null,
    format varchar not null,
    origin varchar not null,
    size_bytes bigint not null,
    content blob not null,
    received_at timestamp not null
);

create table snapshots (
    source varchar not null,
    list_date date not null,
    revision integer not null,
    payload_id bigint not null,
    entries integer not null,
    created_at timestamp not null,
    primary key (source, list_date, revision)
);

create table quarantine (
    payload_id bigint not null,
    source varchar not null,
    list_date date,
    format varchar not null,
    error varchar not null,
    created_at timestamp not null
);

-- One row per paper per list snapshot. No key constraints: rows are only ever appended in
-- the snapshot's own transaction, and an index would slow the appender down.
create table list_entries (
    source varchar not null,
    list_date date not null,
    revision integer not null,
    rank integer not null,
    paper_id varchar not null,
    arxiv_id varchar,
    title varchar not null,
    abstract varchar not null,
    authors varchar[] not null,
    published_at timestamp,
    submitted_at timestamp,
    upvotes integer,
    num_comments integer,
    ai_keywords varchar[],
    ai_summary varchar,
    github_repo varchar,
    github_stars integer,
    project_page varchar,
    organization varchar,
    organization_name varchar
);

-- Views read the latest revision of every (source, list_date).
create view current_snapshots as
select s.*
from snapshots s
where s.revision = (
    select max(r.revision)
    from snapshots r
    where r.source = s.source
      and r.list_date = s.list_date
);

create view current_entries as
select e.*
from list_entries e
join current_snapshots s
  on s.source = e.source
 and s.list_date = e.list_date
 and s.revision = e.revision;

-- A paper listed on several days is one paper; its text and metadata come from its most
-- recent listing.
create view papers as
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
    count(distinct list_date) as days_listed
from current_entries
group by paper_id;
