/* A claim's notice period opened (notice_db.h, sql/0036_notice.sql): after its approval (per
 * claim) or again after a dismissed objection; the timeline and audit rows in the same
 * statement. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_sql.h"
#include "notice_db.h"

// clang-format off
const struct db_stmt db_stmt_claim_notice_open = {
    "claim_notice_open",
    /* $1 id $2 from state $3 action $4 actor (0 none) $5 actor role $6 request_id $7 detail
     * ('' none) $8 starts $9 ends $10 period ('' keep) $11 list (0 keep) $12 reason */
    "WITH c AS (UPDATE claim SET state = 'in_notice', notice_starts = $8::date,"
    "  notice_ends = $9::date, notice_period = coalesce(nullif($10, ''), notice_period),"
    "  notice_list_id = coalesce(nullif($11::bigint, 0), notice_list_id),"
    "  assigned_token = NULL, assigned_until = NULL, updated_at = now()"
    "  WHERE id = $1::bigint AND state = $2 RETURNING *),"
    CLAIM_STEP_DETAIL("$4", "$5", "$6", "$3", "$2::text", "$12", "nullif($7, '')::jsonb")
    " SELECT " CLAIM_SUMMARY_FOR("false") "::text FROM c JOIN person p ON p.id = c.person_id",
    12};
// clang-format on

enum db_rc db_claim_notice_open(struct db_conn *c, const struct db_claim_notice_open *s,
                                char **json)
{
    char idt[24], actor[24], list[24];
    snprintf(idt, sizeof idt, "%lld", s->id);
    snprintf(actor, sizeof actor, "%lld", s->actor);
    snprintf(list, sizeof list, "%lld", s->list_id);
    const char *p[] = {idt,
                       s->from_state,
                       s->action,
                       actor,
                       s->actor_role,
                       s->request_id,
                       s->detail_json ? s->detail_json : "",
                       s->starts,
                       s->ends,
                       s->period,
                       list,
                       s->reason ? s->reason : ""};
    enum db_rc rc;
    *json = NULL;
    PGresult *res = db_exec_row(c, &db_stmt_claim_notice_open, p, false, &rc);
    if (!res)
        return rc;
    *json = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return *json ? DB_OK : DB_HARD;
}
