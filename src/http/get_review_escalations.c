/* GET /v1/review/escalations: a region supervisor's escalations (subsidyctl region-supervisor
 * set) — the waiting items of their regions overdue by more than --escalate-after-days working
 * days, each recorded (and audited) once, the first time it is seen here, and listed while it
 * waits. */
#include "claims.h"

void get_review_escalations(struct req *r)
{
    if (!req_query(r, NULL, 0))
        return;
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    json_t *out = NULL;
    enum db_rc rc =
        review_escalations(db, &r->who, r->id, cj_today(), (int)config.escalate_after_days, &out);
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    reply_json(r, 200, out);
}
