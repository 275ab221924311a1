-- What the line under every chart says: how many papers were listed in the range (from
-- $source alone, or all), and the last list date the rollups hold.
-- params: $from DATE, $to DATE, $source VARCHAR ('' = all)
-- columns: listed BIGINT, data_as_of DATE
select
    (select count(distinct paper_id) from current_listings where list_date between $from and $to and ($source = '' or source = $source)) as listed,
    (select max(list_date) from listed_daily) as data_as_of
