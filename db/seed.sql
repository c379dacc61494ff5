-- Idempotent: rows that exist are kept, missing ones are added.
insert into world (id, randomnumber)
select i, 1 + floor(random() * 10000)::integer
from generate_series(1, 10000) as i
on conflict (id) do nothing
