-- payloads without its content column (the bytes are in payload_parts since sql/schema/025),
-- and without payload_chunks, whose blocks moved there too. payload_content puts a payload's
-- bytes back together, verbatim: `select content from payload_content where payload_id = 7`.
create table payloads_kept as
select payload_id, sha256, format, origin, size_bytes, received_at
from payloads;

drop table payloads;

create table payloads (
    payload_id bigint primary key,
    sha256 varchar not null,
    format varchar not null,
    origin varchar not null,
    size_bytes bigint not null,
    received_at timestamp not null
);

insert into payloads
select * from payloads_kept;

drop table payloads_kept;

drop table payload_chunks;

create view payload_content as
select
    p.payload_id,
    coalesce(unhex(string_agg(hex(c.content), '' order by c.seq)), ''::blob) as content
from payloads p
left join payload_parts c
  on c.payload_id = p.payload_id
group by p.payload_id;
