-- Archives one review version, with the numbers its pages are drawn from.
-- params: $week VARCHAR, $version INTEGER, $created_at TIMESTAMP, $data_as_of DATE, $lexicon VARCHAR,
--         $markdown VARCHAR, $html VARCHAR, $numbers VARCHAR
insert into reviews (week, version, created_at, data_as_of, lexicon_version, markdown, html, numbers)
values ($week, $version, $created_at, $data_as_of, $lexicon, $markdown, $html, $numbers)
