/* A review job recorded with its items (review_job_db.h): the claims the queue's filters name
 * (the same SQL as the queue, review_queue_sql.h), counted and inserted in one statement, so the
 * job holds exactly the set its total says, as it was at that moment. */
#include <stdio.h>
#include <stdlib.h>

#include "db_exec.h"
#include "review_job_db.h"
#include "review_queue_sql.h"

// clang-format off
const struct db_stmt db_stmt_review_job_insert = {
    "review_job_insert",
    /* $1-$13 the queue's filters $14 class id (0: none) $15 max items $16 token $17 action
     * $18 reason $19 reason codes (JSON, '' none) $20 selection (JSON) $21 request id */
    "WITH sel AS (SELECT c.id FROM claim c" QUEUE_FILTER
    "   AND ($14::bigint = 0 OR c.certificate_id IN (SELECT ce.id FROM class_result r"
    "        JOIN certificate ce ON ce.kind = r.kind AND ce.number = r.number"
    "        WHERE r.class_id = $14::bigint))),"
    " n AS (SELECT count(*) AS n FROM sel),"
    " j AS (INSERT INTO review_job (token_id, regions, action, reason, reason_codes, selection,"
    "   total, request_id)"
    "   SELECT $16::bigint, string_to_array($1, ','), $17, nullif($18, ''),"
    "   nullif($19, '')::jsonb, $20::jsonb, n.n, $21 FROM n WHERE n.n BETWEEN 1 AND $15::int"
    "   RETURNING id),"
    " i AS (INSERT INTO review_job_item (job_id, claim_id) SELECT j.id, sel.id FROM j, sel)"
    " SELECT n.n, coalesce((SELECT id FROM j), 0) FROM n",
    21, .plan_each = true};
// clang-format on

enum db_rc db_review_job_insert(struct db_conn *c, const struct db_review_job_new *j, long long *id,
                                long long *count)
{
    char class_id[24], max[16], token[24];
    snprintf(class_id, sizeof class_id, "%lld", j->class_id);
    snprintf(max, sizeof max, "%d", j->max_items);
    snprintf(token, sizeof token, "%lld", j->token);
    struct db_review_filter_text t;
    const char *p[QUEUE_WHERE_PARAMS + 8];
    db_review_filter_params(j->f, &t, p);
    const char *more[] = {class_id,
                          max,
                          token,
                          j->action,
                          j->reason ? j->reason : "",
                          j->reason_codes_json ? j->reason_codes_json : "",
                          j->selection_json,
                          j->request_id};
    for (size_t i = 0; i < 8; i++)
        p[QUEUE_WHERE_PARAMS + i] = more[i];
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_review_job_insert, p, false, &rc);
    if (!res)
        return rc;
    *count = atoll(PQgetvalue(res, 0, 0));
    *id = atoll(PQgetvalue(res, 0, 1));
    PQclear(res);
    return DB_OK;
}
