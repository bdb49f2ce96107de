/* An objection (异议) to a claim in its notice period, and the objection as its objector reads
 * it (notice_db.h, sql/0036_notice.sql). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_sql.h"
#include "notice_db.h"

/* The objection as its objector sees it: its outcome only, nothing of the claim beyond what the
 * public list shows (its id). */
#define OBJECTION_VIEW(o)                                                                          \
    "json_build_object('id', " o ".id, 'claim_id', " o ".claim_id, 'state', " o ".state,"          \
    " 'filed_at', " CLAIM_TS(o ".filed_at") ", 'decided_at', " CLAIM_TS(o ".decided_at") ")"

// clang-format off
const struct db_stmt db_stmt_objection_file = {
    "objection_file",
    /* $1 claim id $2 actor token $3 reason $4 evidence ('' none) $5 request_id $6 review_due
     * $7 estimated.  The timeline names no objector (actor NULL, role objector): the claim's
     * owner reads it; the objection row and its audit row keep who. */
    "WITH c AS (UPDATE claim SET state = 'objected', review_due = $6::date,"
    "  review_due_estimated = $7::boolean, assigned_token = NULL, assigned_until = NULL,"
    "  updated_at = now() WHERE id = $1::bigint AND state = 'in_notice' RETURNING *),"
    " o AS (INSERT INTO objection (claim_id, objector, objector_account, reason, evidence,"
    "  request_id) SELECT c.id, $2::bigint, (SELECT account_id FROM token WHERE id = $2::bigint),"
    "  $3, nullif($4, ''), $5 FROM c RETURNING *),"
    CLAIM_STEP_DETAIL("0", "'objector'", "$5", "'object'", "'in_notice'::text", "''",
                      "(SELECT jsonb_build_object('objection', o.id, 'reason', o.reason,"
                      " 'evidence', o.evidence) FROM o)") ","
    " oa AS (INSERT INTO audit (actor, action, object_kind, object_id, before, after, request_id)"
    "  SELECT $2::bigint, 'objection.file', 'objection', o.id::text, NULL,"
    "  jsonb_build_object('claim_id', o.claim_id, 'state', o.state), $5 FROM o)"
    " SELECT " OBJECTION_VIEW("o") "::text FROM o",
    7};

const struct db_stmt db_stmt_claim_notice_lock = {
    "claim_notice_lock",
    "SELECT state, coalesce(notice_ends::text, ''), region, coalesce(policy_id, '') FROM claim"
    " WHERE id = $1::bigint FOR UPDATE",
    1};

const struct db_stmt db_stmt_objection_get = {
    "objection_get",
    /* $1 objection id $2 the caller's token: the objector's token, or a token of its account */
    "SELECT " OBJECTION_VIEW("o") "::text FROM objection o"
    " WHERE o.id = $1::bigint AND (o.objector = $2::bigint OR o.objector_account ="
    "  (SELECT account_id FROM token WHERE id = $2::bigint))",
    2};
// clang-format on

enum db_rc db_objection_file(struct db_conn *c, const struct db_objection_file *s, char **json)
{
    char idt[24], actor[24];
    snprintf(idt, sizeof idt, "%lld", s->claim_id);
    snprintf(actor, sizeof actor, "%lld", s->actor);
    const char *p[] = {idt,
                       actor,
                       s->reason,
                       s->evidence ? s->evidence : "",
                       s->request_id,
                       s->review_due,
                       s->review_due_estimated ? "true" : "false"};
    enum db_rc rc;
    *json = NULL;
    PGresult *res = db_exec_row(c, &db_stmt_objection_file, p, false, &rc);
    if (!res)
        return rc;
    *json = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return *json ? DB_OK : DB_HARD;
}

enum db_rc db_objection_get(struct db_conn *c, long long id, long long caller, char **json)
{
    char idt[24], who[24];
    snprintf(idt, sizeof idt, "%lld", id);
    snprintf(who, sizeof who, "%lld", caller);
    const char *p[] = {idt, who};
    enum db_rc rc;
    *json = NULL;
    PGresult *res = db_exec_row(c, &db_stmt_objection_get, p, true, &rc);
    if (!res)
        return rc;
    *json = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return *json ? DB_OK : DB_HARD;
}

enum db_rc db_claim_notice_lock(struct db_conn *c, long long id, struct db_claim_notice_facts *out)
{
    char idt[24];
    snprintf(idt, sizeof idt, "%lld", id);
    const char *p[] = {idt};
    enum db_rc rc;
    memset(out, 0, sizeof *out);
    PGresult *res = db_exec_row(c, &db_stmt_claim_notice_lock, p, false, &rc);
    if (!res)
        return rc;
    snprintf(out->state, sizeof out->state, "%s", PQgetvalue(res, 0, 0));
    snprintf(out->notice_ends, sizeof out->notice_ends, "%s", PQgetvalue(res, 0, 1));
    snprintf(out->region, sizeof out->region, "%s", PQgetvalue(res, 0, 2));
    snprintf(out->policy, sizeof out->policy, "%s", PQgetvalue(res, 0, 3));
    PQclear(res);
    return DB_OK;
}
