/* The close of notice periods (notice_db.h, sql/0036_notice.sql): one statement, safe on several
 * daemons and subsidyctl at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_sql.h"
#include "notice_db.h"

// clang-format off
const struct db_stmt db_stmt_notice_close = {
    "notice_close",
    /* $1 today $2 limit $3 request_id.  The due claims are locked with SKIP LOCKED: a claim
     * another closer holds is its to close; one it closed already no longer matches (its state
     * is read again when locked), so each claim is closed, and on the timeline, once.  A payment
     * hold stays: it is the disbursement's business. */
    "WITH due AS (SELECT k.id FROM claim k WHERE k.state = 'in_notice' AND k.notice_ends < $1::date"
    "  AND NOT EXISTS (SELECT 1 FROM objection o WHERE o.claim_id = k.id AND o.state = 'open')"
    "  ORDER BY k.notice_ends, k.id LIMIT $2::int FOR UPDATE OF k SKIP LOCKED),"
    " c AS (UPDATE claim x SET state = 'payable', updated_at = now() FROM due"
    "  WHERE x.id = due.id AND x.state = 'in_notice' RETURNING x.*),"
    CLAIM_STEP_DETAIL("0", "'system'", "$3", "'notice_elapsed'", "'in_notice'::text", "''",
                      "jsonb_build_object('notice_ends', c.notice_ends::text)")
    " SELECT count(*) FROM c",
    3};
// clang-format on

enum db_rc db_notice_close(struct db_conn *c, const char *today, int limit, const char *request_id,
                           int *closed)
{
    char n[16];
    snprintf(n, sizeof n, "%d", limit);
    const char *p[] = {today, n, request_id};
    enum db_rc rc;
    *closed = 0;
    PGresult *res = db_exec_row(c, &db_stmt_notice_close, p, false, &rc);
    if (!res)
        return rc;
    *closed = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return DB_OK;
}
