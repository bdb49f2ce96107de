/* An approver's decision on an objection (notice_db.h, sql/0036_notice.sql): what the row says
 * (found, open, whose), and the decision written.  The claim's own step is the caller's
 * (claim_review.c, claim_notice_open.c), in the same transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_exec.h"
#include "notice_db.h"

// clang-format off
const struct db_stmt db_stmt_objection_facts = {
    "objection_facts",
    /* $1 objection id $2 claim id $3 the acting token */
    "SELECT o.state = 'open', o.objector = $3::bigint OR coalesce(o.objector_account ="
    "  (SELECT account_id FROM token WHERE id = $3::bigint), false)"
    " FROM objection o WHERE o.id = $1::bigint AND o.claim_id = $2::bigint FOR UPDATE",
    3};

const struct db_stmt db_stmt_objection_decide = {
    "objection_decide",
    /* $1 objection id $2 claim id $3 state $4 actor $5 reason */
    "WITH o AS (UPDATE objection SET state = $3, decided_at = now(), decided_by = $4::bigint,"
    "  decision_reason = $5 WHERE id = $1::bigint AND claim_id = $2::bigint AND state = 'open'"
    "  RETURNING *)"
    " INSERT INTO audit (actor, action, object_kind, object_id, before, after, request_id)"
    " SELECT $4::bigint, 'objection.' || CASE WHEN $3 = 'upheld' THEN 'uphold' ELSE 'dismiss' END,"
    "  'objection', o.id::text, jsonb_build_object('state', 'open'),"
    "  jsonb_build_object('state', o.state, 'reason', o.decision_reason), o.request_id"
    " FROM o RETURNING 1",
    5};
// clang-format on

enum db_rc db_objection_facts(struct db_conn *c, long long id, long long claim_id, long long actor,
                              struct db_objection_facts *out)
{
    char idt[24], cid[24], a[24];
    snprintf(idt, sizeof idt, "%lld", id);
    snprintf(cid, sizeof cid, "%lld", claim_id);
    snprintf(a, sizeof a, "%lld", actor);
    const char *p[] = {idt, cid, a};
    enum db_rc rc;
    memset(out, 0, sizeof *out);
    PGresult *res = db_exec_row(c, &db_stmt_objection_facts, p, false, &rc);
    if (rc == DB_NOT_FOUND)
        return DB_OK;
    if (!res)
        return rc;
    out->found = true;
    out->open = PQgetvalue(res, 0, 0)[0] == 't';
    out->own = PQgetvalue(res, 0, 1)[0] == 't';
    PQclear(res);
    return DB_OK;
}

enum db_rc db_objection_decide(struct db_conn *c, long long id, long long claim_id,
                               const char *state, long long actor, const char *reason)
{
    char idt[24], cid[24], a[24];
    snprintf(idt, sizeof idt, "%lld", id);
    snprintf(cid, sizeof cid, "%lld", claim_id);
    snprintf(a, sizeof a, "%lld", actor);
    const char *p[] = {idt, cid, state, a, reason};
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_objection_decide, p, false, &rc);
    if (!res)
        return rc;
    PQclear(res);
    return DB_OK;
}
