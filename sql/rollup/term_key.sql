-- The key of a folded term (the term_key macro, sql/schema/013).
-- params: $folded VARCHAR
-- columns: key VARCHAR
select term_key($folded) as key
