-- Drops streamed_days once the check for a rank listed twice is done.
-- params: none
drop table streamed_days
