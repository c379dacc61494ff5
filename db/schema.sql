-- The TechEmpower "World" table: 10,000 rows, id and randomNumber both in 1..10000.
create table if not exists world (
  id integer primary key,
  randomnumber integer not null check (randomnumber between 1 and 10000)
)
