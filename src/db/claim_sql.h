/* SQL fragments shared by the claim operations (private to src/db). */
#ifndef SD_CLAIM_SQL_H
#define SD_CLAIM_SQL_H

/* SQL is laid out for reading, not by clang-format. */
// clang-format off

#define CLAIM_TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* A claim as every list shows it: personal data masked; when mask (an SQL boolean) holds — the
 * viewer is an enterprise — the person's name is the one the enterprise sent with the claim
 * (masked when there is none), never the name the person registered.
 * filed_by says who filed it: the person, or which enterprise.  Needs c (claim) and p (person). */
#define CLAIM_SUMMARY_FOR(mask)                                                                    \
    "json_build_object('id', c.id, 'state', c.state, 'region', c.region, 'kind', c.kind,"          \
    " 'occupation', c.occupation, 'level', c.level, 'year', c.year, 'amount_fen', c.amount_fen,"   \
    " 'policy', CASE WHEN c.policy_id IS NULL THEN NULL ELSE json_build_object('id',"              \
    " c.policy_id, 'version', c.policy_version) END, 'review_due', c.review_due::text,"            \
    " 'review_due_estimated', c.review_due_estimated, 'payment_hold', c.payment_hold,"            \
    " 'person', json_build_object('name', CASE WHEN " mask " THEN coalesce(c.employee_name, '*')"  \
    " ELSE p.name END, 'id_number_masked', p.id_masked),"                                          \
    " 'employer', c.employer, 'owner_role', c.owner_role, 'filed_by', json_build_object('role',"   \
    " c.owner_role, 'credit_code', CASE WHEN c.owner_role = 'enterprise' THEN c.owner_subject"     \
    " END), 'created_at', " CLAIM_TS("c.created_at") ", 'updated_at', " CLAIM_TS(                  \
        "c.updated_at") ", 'submitted_at', " CLAIM_TS("c.submitted_at") ")"
/* The summary for the claim's owner. */
#define CLAIM_SUMMARY CLAIM_SUMMARY_FOR("c.owner_role = 'enterprise'")

/* One timeline row and one audit row for the change in CTE c; $actor, $request_id, $action,
 * $from (NULL for a new claim) and $reason name parameters of the enclosing statement; the
 * actor acts as the claim's owner (CLAIM_STEP) or in actor_role (CLAIM_STEP_BY: the person
 * withdrawing what an enterprise filed). */
#define CLAIM_STEP(actor, request_id, action, from, reason)                                        \
    CLAIM_STEP_BY(actor, "c.owner_role", request_id, action, from, reason)
#define CLAIM_STEP_BY(actor, actor_role, request_id, action, from, reason)                         \
    CLAIM_STEP_DETAIL(actor, actor_role, request_id, action, from, reason, "NULL::jsonb")
/* The same with the step's detail (a JSON expression: the judgement, the reasons, ...). */
#define CLAIM_STEP_DETAIL(actor, actor_role, request_id, action, from, reason, detail)              \
    " e AS (INSERT INTO claim_event (claim_id, actor, actor_role, action, from_state, to_state,"   \
    "  reason, policy_id, policy_version, amount_fen, request_id, detail)"                         \
    "  SELECT c.id, nullif(" actor "::bigint, 0), " actor_role ", " action ", " from ", c.state,"  \
    "  nullif(" reason ", ''), c.policy_id, c.policy_version, c.amount_fen, " request_id ", "      \
    detail " FROM c),"                                                                             \
    " a AS (INSERT INTO audit (actor, action, object_kind, object_id, before, after, request_id)"  \
    "  SELECT nullif(" actor "::bigint, 0), 'claim.' || " action ", 'claim', c.id::text,"          \
    "  CASE WHEN " from " IS NULL THEN NULL ELSE jsonb_build_object('state', " from ") END,"       \
    "  jsonb_build_object('state', c.state, 'amount_fen', c.amount_fen, 'policy_id',"              \
    "  c.policy_id, 'policy_version', c.policy_version), " request_id " FROM c)"

/* The sample draw of a commitment claim (告知承诺制, sql/0033) submitted in CTE c, when
 * commitment (an SQL boolean) holds: the newest setting of the most specific scope (the region,
 * its city, every region of the policy), the draw from its seed and the claim's id, sampled when
 * the draw is under the share or the amount above the threshold, and always when no setting is in
 * force (fail safe: reason no_setting).  A resubmission keeps the first draw.  The trigger
 * claim_hold_on_sample holds a sampled claim after the statement, so the statement's summary says
 * so itself (claim.c, WRITE_TAIL).  Nothing is read for any other claim. */
#define CLAIM_SAMPLE(commitment)                                                                   \
    " s AS (INSERT INTO claim_sample (claim_id, setting_id, draw, percent_bp, above_fen, sampled," \
    "  reasons) SELECT c.id, st.id, d.draw, st.percent_bp, st.above_fen, r.reasons IS NOT NULL,"   \
    "  r.reasons FROM c LEFT JOIN LATERAL (SELECT x.id, x.seed, x.percent_bp, x.above_fen"         \
    "   FROM sampling_setting x WHERE x.policy_id = c.policy_id AND (x.region IS NULL"             \
    "   OR x.region = c.region OR x.region = (SELECT parent FROM region WHERE code = c.region))"   \
    "   ORDER BY CASE WHEN x.region = c.region THEN 0 WHEN x.region IS NOT NULL THEN 1 ELSE 2 END," \
    "   x.id DESC LIMIT 1) st ON true"                                                             \
    "  CROSS JOIN LATERAL (SELECT sampling_draw(st.seed, c.id) AS draw) d"                         \
    "  CROSS JOIN LATERAL (SELECT CASE WHEN st.id IS NULL THEN 'no_setting'"                       \
    "   WHEN d.draw < st.percent_bp AND c.amount_fen > st.above_fen THEN 'both'"                   \
    "   WHEN d.draw < st.percent_bp THEN 'random' WHEN c.amount_fen > st.above_fen THEN 'amount'"  \
    "   END AS reasons) r"                                                                         \
    "  WHERE " commitment "::boolean AND c.state IN ('submitted', 'resubmitted')"                  \
    "  ON CONFLICT (claim_id) DO NOTHING RETURNING sampled)"

/* Take a place in the person's yearly quota when the claim counts: no row when exhausted. */
#define CLAIM_QUOTA(counts, person, year, per_year)                                                \
    " q AS (INSERT INTO claim_quota AS q (person_id, year, used)"                                  \
    "  SELECT " person "::bigint, " year "::int, 1 WHERE " counts "::boolean"                      \
    "  ON CONFLICT (person_id, year) DO UPDATE SET used = q.used + 1"                              \
    "  WHERE q.used < " per_year "::int RETURNING 1)"

/* Find or create the claim's certificate (kind, number; none when kind is '') for the person: the
 * no-op update on conflict returns the row another transaction inserted and locks it, so claims
 * on one certificate queue here.  The claim takes k's id when k is the person's
 * (CLAIM_CERTIFICATE_ID); a second live claim of the same kind fails claim_certificate_once
 * (checked after the claim's other unique indexes: migration 0017). */
#define CLAIM_CERTIFICATE(kind, number, person)                                                    \
    " k AS (INSERT INTO certificate AS k (kind, number, person_id)"                                \
    "  SELECT " kind ", upper(btrim(" number ")), " person "::bigint WHERE " kind " <> ''"         \
    "  ON CONFLICT (kind, number, (coalesce(issuer, ''))) DO UPDATE SET kind = k.kind"             \
    "  RETURNING id, person_id)"
#define CLAIM_CERTIFICATE_ID(person) "(SELECT k.id FROM k WHERE k.person_id = " person "::bigint)"
/* True when the certificate belongs to another person (nothing tied). */
#define CLAIM_CERTIFICATE_HELD(person)                                                             \
    "EXISTS (SELECT 1 FROM k WHERE k.person_id <> " person "::bigint)"

// clang-format on

#include "db_exec.h"
#include "ops.h"

/* claim_lock's ten columns (claim.c; a review lock adds its own after them) into out. */
enum db_rc db_claim_locked_read(const PGresult *res, struct db_claim_locked *out);

#endif
