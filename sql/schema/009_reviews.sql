-- Stage 7, Review: every weekly review ever generated. A week is generated once; generating it
-- again (with --force) adds a version, and earlier versions stay.
create table reviews (
    week varchar not null,
    version integer not null,
    created_at timestamp not null,
    data_as_of date,
    lexicon_version varchar,
    markdown varchar not null,
    -- The HTML page, with {{images}} where the folder of its images goes.
    html varchar not null,
    primary key (week, version)
);

create table review_images (
    week varchar not null,
    version integer not null,
    name varchar not null,
    png blob not null,
    primary key (week, version, name)
);
