-- A list date for which a source answered with an empty list (weekends, holidays, an outage).
-- The raw payload is kept like every other; it never becomes a revision, so an empty answer
-- never hides a day that has papers.
create table no_lists (
    source varchar not null,
    list_date date not null,
    payload_id bigint not null,
    created_at timestamp not null
);
