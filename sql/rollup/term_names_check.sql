-- Before a full rebuild moves the terms' counts into tags (rollup/term_daily_move.sql), which
-- take their names from term_names by id: two names with one id would merge their counts, and so
-- would a term whose id a family, version or topic already holds (tags holds only those kinds at
-- this point of the rebuild). Stop instead (not expected with 64-bit ids).
-- params: none
-- columns: none
select
    case
        when count(distinct tag_id) <> count(*) then error('two tags share an id among the terms; report this')
    end
from term_names;

select
    case
        when count(*) > 0 then error('two tags share an id in the tags table; report this')
    end
from term_names
where (tag_id in (select tag_id from tags)) is true;
