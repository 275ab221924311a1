-- Keys that are one concept, learned from every tagged paper (docs/tagging.md, "One key per
-- concept"): an acronym and the long form that papers define it by, and a phrase whose papers
-- mostly carry one longer phrase ("large language" in "large language model").
--
-- acronym: at least $min_definitions papers define the acronym by this long form, and they are
-- at least $definition_share of the papers that define the acronym at all (an acronym with two
-- common meanings, such as "SR", stays apart from both); and a phrase with such an acronym is
-- the phrase with its long form instead, when papers write that phrase too ("long CoT").
-- part_of: the phrase has at least $min_papers papers and the longer phrase is in at least
-- $coverage of them. Every paper with a phrase has each of its shorter phrases too (terms are all
-- the 1-3-word runs of a text), so the cover is the ratio of the two keys' paper counts. A model
-- family's name never becomes part of another concept.
-- organization: the key is a family's organization (dashboards/model-families.json) followed by
-- one of that family's names or model versions, which papers also write alone ("OpenAI o1" =
-- "o1", "Tencent Hunyuan" = "Hunyuan").
-- lexicon: dashboards/keyphrases.json names the key as an alias of the concept.
-- Reads the temporary tables term_key_stats and term_key_forms (rollup/term_keys_build.sql).
-- params: $min_definitions INTEGER, $definition_share DOUBLE, $min_papers INTEGER, $coverage DOUBLE
-- columns: key VARCHAR, into VARCHAR, reason VARCHAR, key_papers BIGINT, into_papers BIGINT
with keys as (
    select
        key,
        papers
    from term_key_stats
),
written as (
    -- Each phrase's most used form with words as written (hyphen compounds whole), to find its
    -- parts; only phrases with the papers to have parts are looked at.
    select
        f.key,
        arg_min(f.form, (-f.papers, f.form)) as spaced
    from term_key_forms f
    join keys k
      on k.key = f.key
    where contains(f.form, ' ')
      and k.papers >= $min_papers
    group by f.key
),
definitions as (
    select distinct
        paper_id,
        term_key(split_part(d, chr(30), 1)) as acronym,
        term_key(split_part(d, chr(30), 2)) as long_form
    from (
        select
            paper_id,
            unnest(string_split(definitions, chr(31))) as d
        from paper_terms
        where definitions <> ''
    )
),
definition_pairs as (
    select
        acronym,
        long_form,
        count(*) as papers,
        sum(count(*)) over (partition by acronym) as acronym_papers
    from definitions
    where acronym <> long_form
    group by acronym, long_form
),
acronym_edges as (
    select
        acronym as key,
        long_form as into,
        'acronym' as reason
    from definition_pairs
    where papers >= $min_definitions
      and papers >= $definition_share * acronym_papers
),
acronym_phrase_edges as (
    -- A phrase that says an acronym of acronym_edges is the phrase that says its long form
    -- instead, when papers write that too: "long CoT" = "long chain of thought".
    select distinct
        w.key,
        array_to_string(list_transform(w.words, x -> case when x = lower(e.key) then e.into else x end), ' ') as into,
        'acronym' as reason
    from (
        select
            key,
            string_split(key, ' ') as words,
            unnest(string_split(key, ' ')) as word
        from keys
        where contains(key, ' ')
    ) w
    join acronym_edges e
      on lower(e.key) = w.word
),
spans as (
    -- Every shorter run of words within a phrase of n words: (n, first, last).
    select
        n.n,
        a.i,
        b.j
    from range(2, 13) n(n), range(1, 13) a(i), range(1, 13) b(j)
    where a.i <= b.j
      and b.j <= n.n
      and b.j - a.i + 1 < n.n
),
phrases as (
    select
        k.key,
        k.papers,
        string_split(w.spaced, ' ') as words
    from keys k
    join written w
      on w.key = k.key
    where k.papers >= $min_papers
),
parts as (
    select distinct
        p.key as longer,
        p.papers as longer_papers,
        term_key(array_to_string(p.words[s.i:s.j], ' ')) as part
    from phrases p
    join spans s
      on s.n = len(p.words)
),
names as (
    select distinct term_key(form) as key
    from term_rules
    where rule = 'name'
),
part_edges as (
    select
        p.part as key,
        first(p.longer order by p.longer_papers desc, p.longer) as into,
        'part_of' as reason
    from parts p
    join keys k
      on k.key = p.part
    where k.papers >= $min_papers
      and p.longer_papers >= $coverage * k.papers
      and p.longer_papers <= k.papers
      and p.part not in (select key from names)
    group by p.part
),
organization_edges as (
    select distinct
        k.key,
        m.name as into,
        'organization' as reason
    from keys k
    join (
        select
            lower(term_key(o.form)) || ' ' || lower(n.name) as said,
            n.name
        from term_rules o
        join (
            select concept as family, term_key(form) as name from term_rules where rule = 'name'
            union
            select family, term_key(version) from paper_versions
        ) n
          on n.family = o.concept
        where o.rule = 'organization'
    ) m
      on lower(k.key) = m.said
    where contains(k.key, ' ')
),
alias_edges as (
    select distinct
        term_key(form) as key,
        term_key(concept_form) as into,
        'lexicon' as reason
    from term_rules
    where rule = 'alias'
      and term_key(form) <> term_key(concept_form)
),
edges as (
    select * from alias_edges
    union all
    select * from acronym_edges
    union all
    select a.*
    from acronym_phrase_edges a
    semi join keys k
      on k.key = a.into
    union all
    select o.*
    from organization_edges o
    semi join keys k
      on k.key = o.into
    union all
    select * from part_edges
)
select
    e.key,
    e.into,
    e.reason,
    coalesce(a.papers, 0) as key_papers,
    coalesce(b.papers, 0) as into_papers
from edges e
left join keys a
  on a.key = e.key
left join keys b
  on b.key = e.into
order by e.reason, e.key, e.into
