/* SQL fragments shared by the claim operations (private to src/db). */
#ifndef SD_CLAIM_SQL_H
#define SD_CLAIM_SQL_H

#define CLAIM_TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* A claim as every list shows it: personal data masked.  Needs c (claim) and p (person). */
#define CLAIM_SUMMARY                                                                              \
    "json_build_object('id', c.id, 'state', c.state, 'region', c.region, 'kind', c.kind,"          \
    " 'occupation', c.occupation, 'level', c.level, 'year', c.year, 'amount_fen', c.amount_fen,"   \
    " 'policy', CASE WHEN c.policy_id IS NULL THEN NULL ELSE json_build_object('id',"              \
    " c.policy_id, 'version', c.policy_version) END, 'review_due', c.review_due::text,"            \
    " 'review_due_estimated', c.review_due_estimated,"                                              \
    " 'person', json_build_object('name', p.name, 'id_number_masked', p.id_masked),"               \
    " 'employer', c.employer, 'owner_role', c.owner_role, 'created_at', " CLAIM_TS(                \
        "c.created_at") ", 'updated_at', " CLAIM_TS("c.updated_at") ", 'submitted_at', " CLAIM_TS("c.submitted_at") ")"

/* One timeline row and one audit row for the change in CTE c; $actor, $request_id, $action,
 * $from (NULL for a new claim) and $reason name parameters of the enclosing statement. */
#define CLAIM_STEP(actor, request_id, action, from, reason)                                        \
    " e AS (INSERT INTO claim_event (claim_id, actor, actor_role, action, from_state, to_state,"   \
    "  reason, policy_id, policy_version, amount_fen, request_id)"                                 \
    "  SELECT c.id, nullif(" actor "::bigint, 0), c.owner_role, " action ", " from ", c.state,"    \
    "  nullif(" reason ", ''), c.policy_id, c.policy_version, c.amount_fen, " request_id           \
    "  FROM c),"                                                                                   \
    " a AS (INSERT INTO audit (actor, action, object_kind, object_id, before, after, request_id)"  \
    "  SELECT nullif(" actor "::bigint, 0), 'claim.' || " action ", 'claim', c.id::text,"          \
    "  CASE WHEN " from " IS NULL THEN NULL ELSE jsonb_build_object('state', " from ") END,"       \
    "  jsonb_build_object('state', c.state, 'amount_fen', c.amount_fen, 'policy_id',"              \
    "  c.policy_id, 'policy_version', c.policy_version), " request_id " FROM c)"

/* Take a place in the person's yearly quota when the claim counts: no row when exhausted. */
#define CLAIM_QUOTA(counts, person, year, per_year)                                                \
    " q AS (INSERT INTO claim_quota AS q (person_id, year, used)"                                  \
    "  SELECT " person "::bigint, " year "::int, 1 WHERE " counts "::boolean"                      \
    "  ON CONFLICT (person_id, year) DO UPDATE SET used = q.used + 1"                              \
    "  WHERE q.used < " per_year "::int RETURNING 1)"

#endif
