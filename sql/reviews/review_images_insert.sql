-- Archives one PNG of a review version.
-- params: $week VARCHAR, $version INTEGER, $name VARCHAR, $png BLOB
insert into review_images (week, version, name, png)
values ($week, $version, $name, $png)
