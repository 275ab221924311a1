-- Keeps a payload that did not normalize in quarantine, with the reason.
-- params: $id BIGINT, $source VARCHAR, $date DATE, $format VARCHAR, $error VARCHAR, $now TIMESTAMP
insert into quarantine
values ($id, $source, $date, $format, $error, $now)
