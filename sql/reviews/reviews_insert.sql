-- Archives one review version.
-- params: $week VARCHAR, $version INTEGER, $created_at TIMESTAMP, $data_as_of DATE, $lexicon VARCHAR,
--         $markdown VARCHAR, $html VARCHAR
insert into reviews (week, version, created_at, data_as_of, lexicon_version, markdown, html)
values ($week, $version, $created_at, $data_as_of, $lexicon, $markdown, $html)
