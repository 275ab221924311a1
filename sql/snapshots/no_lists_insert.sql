-- Keeps an empty answer for a day as no list (never a revision).
-- params: $source VARCHAR, $date DATE, $id BIGINT, $now TIMESTAMP
insert into no_lists
values ($source, $date, $id, $now)
