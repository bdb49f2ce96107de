#ifndef SD_DB_REVIEW_H
#define SD_DB_REVIEW_H

/* The approvers' side of claims: the review queue (review_queue.c, sql/0023_review_queue.sql). */

#include "ops.h"

/* The queue's filters; "" or -1 for a filter not given. */
struct db_review_filter {
    const char *regions_csv; /* the approver's regions: a claim's region or its parent is one */
    const char *states_csv;  /* the states listed, e.g. "submitted,resubmitted,in_review" */
    const char *kind, *policy, *employer;
    long long amount_min, amount_max;          /* fen; -1: no bound */
    const char *submitted_from, *submitted_to; /* YYYY-MM-DD, Asia/Shanghai days, both kept */
    const char *due_before;                    /* YYYY-MM-DD: review_due earlier than it */
    bool overdue_only;
    const char *today;  /* YYYY-MM-DD: the request's day, for "overdue" */
    bool by_submission; /* sort by submission time; else by deadline (review_due) */
    /* the keyset cursor of the previous page's last item ("" for the first page): its
     * deadline (YYYY-MM-DD) or submission time (microseconds since 1970), and its id */
    const char *after_key;
    long long after_id;
    int limit;
};
/* One page of the queue (items with masked persons; next_after the cursor "KEY_ID" as text, or
 * null) and *counts {by_state: {state: n}, overdue: n} for the same filters: one round trip. */
enum db_rc db_review_claims(struct db_conn *c, const struct db_review_filter *f,
                            struct db_page *page, json_t **counts);

#endif
