/* GET /v1/review/jobs/{id}/items: a bulk review job's items in claim id order, a keyset page at
 * a time (after = the next_after the page before gave), optionally of one outcome (pending,
 * approved, rejected, refused, failed, cancelled): each item's answer as POST /v1/review/bulk
 * gives it (the claim's new state, or the problem that refused it).  Who may read the job, as
 * GET /v1/review/jobs/{id}; anyone else: 404. */
#include <stdlib.h>

#include "claims.h"
#include "review_job_db.h"

void get_review_jobs_ID_items(struct req *r)
{
    static const char *const outcomes[] = {"pending", "approved",  "rejected", "refused",
                                           "failed",  "cancelled", NULL};
    long long id, after = 0, limit = 50;
    const char *outcome = NULL;
    if (!req_path_id(r, &id))
        return;
    const struct jfield spec[] = {
        jfield_after_id(&after),
        jfield_limit(&limit),
        {.name = "outcome",
         .kind = JF_STRING,
         .min = 1,
         .max = 16,
         .one_of = outcomes,
         .out = &outcome},
    };
    if (!jspec_query(r, spec, sizeof spec / sizeof spec[0])) {
        reply_field_errors(r, SD_E_BAD_QUERY);
        return;
    }
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    char *text = NULL;
    enum db_rc rc = review_job_read(r, db, id, &text);
    free(text);
    if (rc == DB_NOT_FOUND) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    struct db_page page = {0};
    if (rc == DB_OK)
        rc = db_review_job_items(db, id, after, outcome, (int)limit, &page);
    reply_list_rc(r, rc, &page);
}
