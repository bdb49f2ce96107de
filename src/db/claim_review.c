/* An approver's steps on a claim (review_db.h): the lock that says who holds the claim, and the
 * write of a step with its timeline and audit rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_sql.h"
#include "review_db.h"

// clang-format off
const struct db_stmt db_stmt_claim_lock_review = {
    "claim_lock_review",
    /* $1 id $2 the acting token; claim_lock's columns, then: held by another approver (an
     * assignment not expired, to another token of another account), until when, the amount */
    "SELECT c.owner_role, c.owner_subject, c.person_id, c.state, c.input::text, c.region,"
    " coalesce(c.employer, ''), c.returned_before, coalesce(r.parent, ''),"
    " coalesce(p.owner_subject, ''),"
    " coalesce(c.assigned_until > now() AND c.assigned_token <> $2::bigint"
    "  AND NOT coalesce((SELECT account_id FROM token WHERE id = c.assigned_token)"
    "   = (SELECT account_id FROM token WHERE id = $2::bigint), false), false),"
    " coalesce(" CLAIM_TS("c.assigned_until") ", ''), coalesce(c.amount_fen, 0),"
    /* the acting approver's own interest (separation of duties): the claim is about their
     * person, submitted by them, or of their employer (its owner, or the employer it names) */
    " coalesce((SELECT a.person_hash IN (encode(p.id_hash, 'hex'),"
    "    CASE WHEN c.owner_role = 'applicant' THEN c.owner_subject END)"
    "   OR a.employer IN (c.employer, CASE WHEN c.owner_role = 'enterprise' THEN c.owner_subject END)"
    "  FROM token t JOIN account a ON a.id = t.account_id WHERE t.id = $2::bigint), false)"
    " FROM claim c JOIN region r ON r.code = c.region JOIN person p ON p.id = c.person_id"
    " WHERE c.id = $1::bigint FOR UPDATE OF c",
    2};

const struct db_stmt db_stmt_claim_review = {
    "claim_review",
    /* $1 id $2 from state $3 to state $4 action $5 reason $6 actor $7 request_id $8 detail
     * $9 amount (-1 keep) $10 decision ('' keep) $11 catalog (0 keep) $12 fixes ('' keep)
     * $13 assign minutes (> 0 assign to $6, 0 release, -1 keep) */
    "WITH c AS (UPDATE claim SET state = $3, updated_at = now(),"
    "  returned_before = returned_before OR $4 = 'return',"
    "  amount_fen = CASE WHEN $9::bigint >= 0 THEN $9::bigint ELSE amount_fen END,"
    "  decision = coalesce(nullif($10, '')::jsonb, decision),"
    "  catalog_id = coalesce(nullif($11::bigint, 0), catalog_id),"
    "  return_fixes = coalesce(nullif($12, '')::jsonb, return_fixes),"
    "  returned_input = CASE WHEN $4 = 'return' THEN input ELSE returned_input END,"
    "  assigned_token = CASE WHEN $13::int > 0 THEN $6::bigint WHEN $13::int = 0 THEN NULL"
    "   ELSE assigned_token END,"
    "  assigned_until = CASE WHEN $13::int > 0 THEN now() + $13::int * interval '1 minute'"
    "   WHEN $13::int = 0 THEN NULL ELSE assigned_until END"
    "  WHERE id = $1::bigint AND state = $2 RETURNING *),"
    " g AS (UPDATE claim_quota q SET used = q.used - 1 FROM c"
    "  WHERE q.person_id = c.person_id AND q.year = c.year AND c.counts_quota"
    "  AND claim_state_live($2) AND NOT claim_state_live($3)),"
    CLAIM_STEP_DETAIL("$6", "'approver'", "$7", "$4", "$2::text", "$5", "nullif($8, '')::jsonb")
    " SELECT " CLAIM_SUMMARY_FOR("false") "::text FROM c JOIN person p ON p.id = c.person_id",
    13};
// clang-format on

enum db_rc db_claim_lock_review(struct db_conn *c, long long id, long long actor,
                                struct db_claim_locked *out)
{
    char idt[24], a[24];
    snprintf(idt, sizeof idt, "%lld", id);
    snprintf(a, sizeof a, "%lld", actor);
    const char *p[] = {idt, a};
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_claim_lock_review, p, false, &rc);
    if (!res)
        return rc;
    rc = db_claim_locked_read(res, out);
    out->assigned_other = PQgetvalue(res, 0, 10)[0] == 't';
    snprintf(out->assigned_until, sizeof out->assigned_until, "%s", PQgetvalue(res, 0, 11));
    out->amount_fen = atoll(PQgetvalue(res, 0, 12));
    out->own_interest = PQgetvalue(res, 0, 13)[0] == 't';
    PQclear(res);
    return rc;
}

enum db_rc db_claim_review(struct db_conn *c, const struct db_claim_review_step *s, char **json)
{
    char idt[24], actor[24], amount[24], catalog[24], minutes[16];
    snprintf(idt, sizeof idt, "%lld", s->id);
    snprintf(actor, sizeof actor, "%lld", s->actor);
    snprintf(amount, sizeof amount, "%lld", s->amount_fen);
    snprintf(catalog, sizeof catalog, "%lld", s->catalog_id);
    snprintf(minutes, sizeof minutes, "%d", s->assign_minutes);
    const char *p[] = {idt,
                       s->from_state,
                       s->to_state,
                       s->action,
                       s->reason ? s->reason : "",
                       actor,
                       s->request_id,
                       s->detail_json ? s->detail_json : "",
                       amount,
                       s->decision_json ? s->decision_json : "",
                       catalog,
                       s->return_fixes_json ? s->return_fixes_json : "",
                       minutes};
    enum db_rc rc;
    *json = NULL;
    PGresult *res = db_exec_row(c, &db_stmt_claim_review, p, false, &rc);
    if (!res)
        return rc;
    *json = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return *json ? DB_OK : DB_HARD;
}
