-- How many of the papers to tag (papers_to_tag) have no tags, or terms made from another text or
-- with other lexicons for terms and families (tag_state.terms_version, sql/schema/028). None: a
-- retag need make only their topics again.
-- params: $terms_version VARCHAR
-- columns: stale BIGINT
select
    count(*) as stale
from papers_to_tag p
left join tag_state t
  on t.paper_id = p.paper_id
where t.paper_id is null
   or t.text_md5 <> p.text_md5
   or t.terms_version is distinct from $terms_version
