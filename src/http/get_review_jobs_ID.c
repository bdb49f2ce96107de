/* GET /v1/review/jobs/{id}: a bulk review job as its approver, or an approver of its regions
 * (or their city), reads it: its state (queued, running, done, cancelled, failed), total and the
 * counts of its items by outcome (pending, done = approved + rejected + refused, failed,
 * cancelled), the failure's code when it failed, and when it was recorded, started and
 * finished.  Anyone else: 404. */
#include <stdlib.h>

#include "claims.h"

void get_review_jobs_ID(struct req *r)
{
    long long id;
    if (!req_path_id(r, &id))
        return;
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    char *text = NULL;
    enum db_rc rc = review_job_read(r, db, id, &text);
    if (rc == DB_OK)
        reply_stored(r, 200, text, false);
    else if (rc == DB_NOT_FOUND)
        reply_problem(r, SD_E_NOT_FOUND, NULL);
    else
        reply_db(r, rc);
}
