-- What the rollups were last built from: the data's signature (rollup_signature.sql), the
-- highest payload id then stored, and what the keyphrase concept map was learned from. No row:
-- never built.
-- params: $name VARCHAR
-- columns: signature VARCHAR, payload_max BIGINT, learned_papers BIGINT, learned_lexicon VARCHAR
select
    signature,
    payload_max,
    learned_papers,
    learned_lexicon
from rollup_state
where name = $name
