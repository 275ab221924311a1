-- The terms that are keyphrases (term_stats.keyphrase), with their tag id and display name: a
-- few thousand rows that keyphrase reads (emergence, bursts, top keyphrases) join instead of
-- term_stats and tags, which hold every concept (1.3 million at a million papers). Replaced
-- with term_stats (rollup/concept_map_install.sql).
create table keyphrase_tags (
    tag_id ubigint not null,
    tag varchar not null,
    display varchar not null
);

insert into keyphrase_tags
select
    hash('term', concept) as tag_id,
    concept as tag,
    display
from term_stats
where keyphrase
order by tag_id;
