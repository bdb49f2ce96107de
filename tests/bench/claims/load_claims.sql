-- Earlier claims for the growth figure (P4) of tests/bench/claims/run.sh: :rows claims of
-- :persons people (rows > persons: the first rows - persons people claimed in both years), made
-- with generate_series in one transaction, as the schema owner.  Plausible rather than real:
--   person  distinct keyed hashes (sha256 of a negative number: pgbench and the daemon never
--           make those), sealed ID numbers of the daemon's length (58 bytes), masked ID numbers,
--           names, a phone for half of them, an applicant account for one in five;
--   claim   mostly certificate training (some safety training and seafarers) in varied
--           occupations and levels, 2020 or 2021, in the Zhoushan districts and counties, four
--           in five "submitted" and the rest further on (or rejected, withdrawn), by one of 200
--           enterprises or by the applicant, with an input and a decision shaped like the
--           daemon's;
--   claim_event one "submit" step per claim (the timeline a real claim has);
--   claim_quota the places the live counting claims take, recounted over the whole table.
-- No audit rows: the audit chain's trigger would run once per row (minutes, not seconds), and
-- a submission's audit insert touches only its chain's head and the index's right edge.
--
--   psql -v rows=1000000 -v persons=800000 -f load_claims.sql
\set ON_ERROR_STOP 1
BEGIN;

INSERT INTO person (id_hash, id_sealed, id_masked, name, phone_sealed, phone_masked,
                    owner_subject, hukou_region, groups, past_retirement_age, created_at,
                    updated_at)
SELECT sha256(int8send(-g)),
       substring(sha256(int8send(g)) || sha256(int8send(g + 1)), 1, 58),
       '330902********' || lpad((g % 1000)::text, 3, '0') || substr('0123456789X', g % 11 + 1, 1),
       (ARRAY['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵敏', '黄勇', '周杰', '吴婷',
              '徐强', '孙丽', '胡军', '朱琳', '高翔', '林峰'])[g % 16 + 1],
       CASE WHEN g % 2 = 0 THEN substring(sha256(int8send(g + 7)) || sha256(int8send(g + 8)), 1, 51) END,
       CASE WHEN g % 2 = 0 THEN '1' || (3 + g % 7) || (g % 10) || '****' || lpad((g % 10000)::text, 4, '0') END,
       CASE WHEN g % 5 = 0 THEN 'bench-applicant-' || g END,
       CASE WHEN g % 5 = 0 THEN '330902' END,
       '[]', false, t, t
FROM generate_series(1, :persons) AS g,
     LATERAL (SELECT timestamptz '2020-01-01 08:00+08' + g * interval '37 seconds' AS t) AS x;

INSERT INTO claim (owner_role, owner_subject, person_id, region, employer, kind, occupation, level,
                   state, input, year, counts_quota, unique_occupation_level, same_key, once_per_year,
                   policy_id, policy_version, amount_fen, decision, review_due, created_at,
                   updated_at, submitted_at)
SELECT c.owner_role, c.owner_subject, p.id, c.region, c.employer, c.kind, c.occupation, c.level,
       c.state,
       jsonb_build_object('region', c.region, 'claim', jsonb_build_object(
           'kind', c.kind, 'occupation', c.occupation, 'level', c.level,
           'certificate', jsonb_build_object('kind', 'qualification', 'number', 'C' || c.g,
                                             'issue_date', c.issued::text),
           'actual_cost_fen', c.amount, 'payee', c.payee)),
       c.year, true, true, c.occupation || '/' || c.level, false, 'zhoushan-2019', 1, c.amount,
       jsonb_build_object('eligible', true, 'amount_fen', c.amount, 'problems', '[]'::jsonb,
           'problems_truncated', false,
           'trace', jsonb_build_object('policy_id', 'zhoushan-2019', 'policy_version', 1,
               'rule_id', 'certificate_' || c.level, 'rule_section', '二(一)',
               'formula', 'actual_capped', 'event_date', c.issued::text,
               'date_basis', 'certificate', 'catalog', NULL, 'unit', 'claim', 'units', 1,
               'rate_fen', 0, 'standard_fen', 120000, 'fee_share_pct', 0, 'fee_share_fen', 0,
               'uplift', NULL, 'uplift_note', NULL, 'cap_fen', 0, 'limit_fen', 120000,
               'by_actual', true, 'actual_cost_fen', c.amount, 'computed_fen', c.amount,
               'rounding', 'none', 'advance_pct', 0, 'advance_fen', 0, 'quota_used', 0),
           'explain', 'min(standard 1200.00, actual ' || (c.amount / 100) || '.00) = '
                      || (c.amount / 100) || '.00'),
       (c.at + interval '28 days')::date, c.at, c.at, c.at
FROM (
    SELECT g, pg,
           CASE WHEN pg % 5 = 0 THEN 'applicant' ELSE 'enterprise' END AS owner_role,
           CASE WHEN pg % 5 = 0 THEN 'bench-applicant-' || pg
                ELSE '91330900MA28' || lpad((pg % 200)::text, 5, '0') || 'X' END AS owner_subject,
           CASE WHEN pg % 5 = 0 THEN 'person' ELSE 'enterprise' END AS payee,
           CASE WHEN pg % 5 = 0 THEN NULL
                ELSE '91330900MA28' || lpad((pg % 200)::text, 5, '0') || 'X' END AS employer,
           (ARRAY['330902', '330902', '330902', '330903', '330903', '330921', '330922',
                  '3309A1'])[g % 8 + 1] AS region,
           CASE WHEN g % 20 = 0 THEN 'safety_training' WHEN g % 20 = 1 THEN 'seafarer'
                ELSE 'certificate_training' END AS kind,
           (ARRAY['6-18-02-04', '4-10-01-01', '6-28-01-14', '4-03-02-01', '6-29-01-03',
                  '4-01-06-01', '2-02-07-10', '6-31-01-03', '4-07-05-04', '4-14-01-02',
                  '6-18-01-01', '4-02-03-02'])[g % 12 + 1] AS occupation,
           (ARRAY['level5', 'level4', 'level4', 'level3', 'level3', 'level2', 'level1'])[g % 7 + 1]
               AS level,
           CASE WHEN g % 100 < 80 THEN 'submitted' WHEN g % 100 < 88 THEN 'in_review'
                WHEN g % 100 < 92 THEN 'approved' WHEN g % 100 < 95 THEN 'paid'
                WHEN g % 100 < 97 THEN 'rejected' ELSE 'withdrawn' END AS state,
           y AS year,
           make_date(y, 1 + g % 12, 1 + g % 28) AS issued,
           50000 + (g % 15) * 5000 AS amount,
           make_timestamptz(y, 1 + g % 12, 1 + g % 28, 8 + g % 10, g % 60, 0, '+08') AS at
    FROM generate_series(1, :rows) AS g,
         LATERAL (SELECT (g - 1) % :persons + 1 AS pg) AS a,
         -- a person's first claim is in one year, the second (if any) in the other
         LATERAL (SELECT CASE WHEN g <= :persons THEN 2020 + pg % 2 ELSE 2021 - pg % 2 END AS y) AS b
) AS c
JOIN person p ON p.id_hash = sha256(int8send(-c.pg));

INSERT INTO claim_event (claim_id, at, actor, actor_role, action, from_state, to_state,
                         policy_id, policy_version, amount_fen, request_id)
SELECT c.id, c.submitted_at, NULL, c.owner_role, 'submit', NULL, 'submitted', c.policy_id,
       c.policy_version, c.amount_fen, md5(c.id::text)
FROM claim c
WHERE NOT EXISTS (SELECT 1 FROM claim_event e WHERE e.claim_id = c.id);

INSERT INTO claim_quota (person_id, year, used)
SELECT person_id, year, count(*)
FROM claim
WHERE counts_quota AND claim_state_live(state)
GROUP BY person_id, year
ON CONFLICT (person_id, year) DO UPDATE SET used = EXCLUDED.used;

COMMIT;
VACUUM ANALYZE person, claim, claim_event, claim_quota;
