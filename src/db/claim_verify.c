/* The verification of a sampled 告知承诺 claim (review_db.h, sql/0033): its sample row locked and
 * read, then the outcome written with the claim's change, its timeline and audit rows in one
 * statement. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_sql.h"
#include "review_db.h"

// clang-format off
const struct db_stmt db_stmt_claim_sample_lock = {
    "claim_sample_lock",
    /* $1 claim id: sampled, the outcome so far ('' none) */
    "SELECT s.sampled, coalesce(s.outcome, '') FROM claim_sample s"
    " WHERE s.claim_id = $1::bigint FOR UPDATE",
    1};

const struct db_stmt db_stmt_claim_verify = {
    "claim_verify",
    /* $1 id $2 outcome $3 actor (token) $4 request_id $5 state it must be in $6 note ('' none)
     * $7 the step's detail.  Confirmed: the sample's hold is lifted.  A false commitment: the
     * claim is rejected (its quota place given back, any hold of it by an approver ended) and
     * clawback_due is set for the disbursement issue. */
    "WITH v AS (UPDATE claim_sample SET outcome = $2, verified_by = $3::bigint,"
    "  verified_at = now(), note = nullif($6, '')"
    "  WHERE claim_id = $1::bigint AND sampled AND outcome IS NULL RETURNING claim_id),"
    " c AS (UPDATE claim SET updated_at = now(),"
    "  state = CASE WHEN $2 = 'false_commitment' THEN 'rejected' ELSE state END,"
    "  clawback_due = clawback_due OR $2 = 'false_commitment',"
    "  payment_hold = CASE WHEN $2 = 'confirmed' AND payment_hold = 'commitment_sample' THEN NULL"
    "   ELSE payment_hold END,"
    "  assigned_token = CASE WHEN $2 = 'false_commitment' THEN NULL ELSE assigned_token END,"
    "  assigned_until = CASE WHEN $2 = 'false_commitment' THEN NULL ELSE assigned_until END"
    "  WHERE id = $1::bigint AND state = $5 AND EXISTS (SELECT 1 FROM v) RETURNING *),"
    " g AS (UPDATE claim_quota q SET used = q.used - 1 FROM c"
    "  WHERE q.person_id = c.person_id AND q.year = c.year AND c.counts_quota"
    "  AND claim_state_live($5) AND NOT claim_state_live(c.state)),"
    CLAIM_STEP_DETAIL("$3", "'approver'", "$4", "'verify'", "$5::text", "$6", "$7::jsonb")
    " SELECT " CLAIM_SUMMARY_FOR("false") "::text FROM c JOIN person p ON p.id = c.person_id",
    7};
// clang-format on

enum db_rc db_claim_sample_lock(struct db_conn *c, long long id, struct db_claim_sample *out)
{
    char idt[24];
    snprintf(idt, sizeof idt, "%lld", id);
    const char *p[] = {idt};
    memset(out, 0, sizeof *out);
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_claim_sample_lock, p, false, &rc);
    if (!res)
        return rc;
    out->sampled = PQgetvalue(res, 0, 0)[0] == 't';
    snprintf(out->outcome, sizeof out->outcome, "%s", PQgetvalue(res, 0, 1));
    PQclear(res);
    return DB_OK;
}

enum db_rc db_claim_verify(struct db_conn *c, const struct db_claim_verify_step *s, char **json)
{
    char idt[24], actor[24];
    snprintf(idt, sizeof idt, "%lld", s->id);
    snprintf(actor, sizeof actor, "%lld", s->actor);
    const char *p[] = {idt,           s->outcome,    actor,
                       s->request_id, s->from_state, s->note ? s->note : "",
                       s->detail_json};
    enum db_rc rc;
    *json = NULL;
    PGresult *res = db_exec_row(c, &db_stmt_claim_verify, p, false, &rc);
    if (!res)
        return rc;
    *json = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return *json ? DB_OK : DB_HARD;
}
