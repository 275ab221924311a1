-- The keys of the concepts a lexicon names through an alias: such a key names its concept.
-- params: none
-- columns: key VARCHAR
select distinct term_key(concept_form) as key
from term_rules
where rule = 'alias'
