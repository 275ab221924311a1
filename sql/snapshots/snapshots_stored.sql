-- One row per stored snapshot revision, per quarantined payload and per empty answer (no list).
-- params: none
-- columns: source VARCHAR, list_date DATE, revision INTEGER, status VARCHAR, entries INTEGER,
--          sha256 VARCHAR, origin VARCHAR, error VARCHAR
select *
from (
    select
        s.source,
        s.list_date,
        s.revision,
        case
            when s.revision = max(s.revision) over (partition by s.source, s.list_date) then 'current'
            else 'superseded'
        end as status,
        s.entries,
        p.sha256,
        p.origin,
        null::varchar as error
    from snapshots s
    join payloads p
      on p.payload_id = s.payload_id
    union all
    select
        q.source,
        q.list_date,
        null::integer as revision,
        'quarantined' as status,
        0 as entries,
        p.sha256,
        p.origin,
        q.error
    from quarantine q
    join payloads p
      on p.payload_id = q.payload_id
    union all
    select
        n.source,
        n.list_date,
        null::integer as revision,
        'no-list' as status,
        0 as entries,
        p.sha256,
        p.origin,
        null::varchar as error
    from no_lists n
    join payloads p
      on p.payload_id = n.payload_id
)
order by list_date nulls last, source, status in ('quarantined', 'no-list'), revision
