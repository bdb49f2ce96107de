-- The people of the minimal durable submit transaction (minimal.pgbench, tests/QUALITY.md P2's
-- ceiling), made once by tests/bench/claims/run.sh as the superuser: :n people whose keyed
-- hashes neither the daemon nor load_claims.sql can make (sha256 of numbers below -10^12), each
-- with a quota row for 2020 that the transaction locks.
--
--   psql -v n=100000 -f minimal_setup.sql
\set ON_ERROR_STOP 1
BEGIN;
INSERT INTO person (id_hash, id_sealed, id_masked, name)
SELECT sha256(int8send(-1000000000000 - g)), sha256(int8send(g)) || sha256(int8send(g + 1)),
       '330902********' || lpad((g % 1000)::text, 3, '0') || substr('0123456789X', g % 11 + 1, 1),
       '张伟'
FROM generate_series(1, :n) AS g;
INSERT INTO claim_quota (person_id, year, used)
SELECT id, 2020, 0 FROM person WHERE id_hash IN (
    SELECT sha256(int8send(-1000000000000 - g)) FROM generate_series(1, :n) AS g);
CREATE TABLE bench_minimal_person AS
SELECT row_number() OVER (ORDER BY id) AS k, id FROM person WHERE id_hash IN (
    SELECT sha256(int8send(-1000000000000 - g)) FROM generate_series(1, :n) AS g);
ALTER TABLE bench_minimal_person ADD PRIMARY KEY (k);
GRANT SELECT ON bench_minimal_person TO subsidy_app;
COMMIT;
ANALYZE person, claim_quota, bench_minimal_person;
