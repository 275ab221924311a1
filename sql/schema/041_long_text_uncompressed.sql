-- The long text columns that the import and the Tag stage write by the million are stored
-- uncompressed, as DuckDB's analysis chose for them anyway: titles, abstracts, paper ids, text
-- hashes, a paper's joined terms with their marks and ends, and the payloads' bytes are all but
-- unique, so dictionary compression never paid, and FSST is off (Storage/Database.cs). Declared,
-- the analysis does not run at all when rows are written. Copying a million-paper database's
-- rows into each table (one thread, published DuckDB 1.5), in as many blocks either way:
-- list_entries' 1,160,892 rows 3.5–5.1 s against 9.5–11.0 s; payload_parts' 180,270 parts
-- 3.4–3.6 s against 9.6 s; half a million papers' terms appended and committed by the Tag stage's
-- appender 3.6–3.8 s against 4.9–5.2 s, and checkpointed 1.0 s against 1.6–2.0 s. Columns that
-- repeat (sources, authors, lexicon versions, organizations) keep DuckDB's choice.
--
-- DuckDB cannot change a column's compression in place, so the three tables are made again,
-- their rows in their order (the Rollup stage reads a day's papers' terms as ranges of
-- neighbouring rows, and a payload's parts are read in the order of seq).
set preserve_insertion_order = true;

create table list_entries_stored (
    source varchar not null,
    list_date date not null,
    revision integer not null,
    rank integer not null,
    paper_id varchar not null using compression uncompressed,
    arxiv_id varchar,
    title varchar not null using compression uncompressed,
    abstract varchar not null using compression uncompressed,
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
    organization_name varchar,
    text_md5 varchar using compression uncompressed
);
insert into list_entries_stored
select
    source, list_date, revision, rank, paper_id, arxiv_id, title, abstract, authors, published_at,
    submitted_at, upvotes, num_comments, ai_keywords, ai_summary, github_repo, github_stars,
    project_page, organization, organization_name, text_md5
from list_entries;
drop table list_entries;
alter table list_entries_stored rename to list_entries;

create table payload_parts_stored (
    payload_id bigint not null,
    seq integer not null,
    content blob not null using compression uncompressed
);
insert into payload_parts_stored
select payload_id, seq, content
from payload_parts;
drop table payload_parts;
alter table payload_parts_stored rename to payload_parts;

create table paper_terms_stored (
    paper_id varchar using compression uncompressed,
    terms varchar using compression uncompressed,
    ai_terms varchar,
    definitions varchar,
    ends varchar using compression uncompressed,
    key_marks varchar using compression uncompressed
);
insert into paper_terms_stored
select paper_id, terms, ai_terms, definitions, ends, key_marks
from paper_terms;
drop table paper_terms;
alter table paper_terms_stored rename to paper_terms;

set preserve_insertion_order = false;
