-- The model family a lexicon's name rule gives a folded name (ChatGPT is GPT), or no row.
-- params: $folded VARCHAR
-- columns: concept VARCHAR
select concept
from term_rules
where rule = 'name'
  and term_key(form) = term_key($folded)
limit 1
