#ifndef SD_DB_REVIEW_QUEUE_SQL_H
#define SD_DB_REVIEW_QUEUE_SQL_H

/* The review queue's filters as SQL, for src/db only: the queue's pages and counts
 * (review_queue.c) and a review job's selection (review_job_insert.c) name the same claims. */

#include "review_db.h"

// clang-format off
/* $1 regions csv $2 states csv $3 kind $4 policy $5 employer $6 amount_min $7 amount_max
 * $8 submitted_from $9 submitted_to $10 due_before $11 overdue only $12 today
 * $13 sampled ('' either, 'true' only the claims drawn into the 告知承诺 sample, 'false' none of
 * them): only a commitment claim has a sample row to look up */
#define QUEUE_FILTER " WHERE c.region IN " QUEUE_REGIONS QUEUE_CONDITIONS
/* The regions $1 names and their districts (code). */
#define QUEUE_REGIONS                                                                              \
    "(SELECT code FROM region WHERE code = ANY (string_to_array($1, ','))"                         \
    "   OR parent = ANY (string_to_array($1, ',')))"
/* The filters but the region, each "AND …". */
#define QUEUE_CONDITIONS                                                                           \
    "   AND c.state = ANY (string_to_array($2, ','))"                                              \
    "   AND ($3 = '' OR c.kind = $3) AND ($4 = '' OR c.policy_id = $4)"                            \
    "   AND ($5 = '' OR c.employer = $5)"                                                          \
    "   AND ($6::bigint < 0 OR c.amount_fen >= $6::bigint)"                                        \
    "   AND ($7::bigint < 0 OR c.amount_fen <= $7::bigint)"                                        \
    "   AND ($8 = '' OR c.submitted_at >= nullif($8, '')::date::timestamp AT TIME ZONE 'Asia/Shanghai')" \
    "   AND ($9 = '' OR c.submitted_at < (nullif($9, '')::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')" \
    "   AND ($10 = '' OR c.review_due < nullif($10, '')::date)"                                   \
    "   AND (NOT $11::boolean OR c.review_due < $12::date)"                                       \
    "   AND ($13 = '' OR (c.commitment AND EXISTS (SELECT 1 FROM claim_sample s"                   \
    "        WHERE s.claim_id = c.id AND s.sampled)) = nullif($13, '')::boolean)"

// clang-format on
#define QUEUE_WHERE_PARAMS 13

/* The text of a filter's parameters $1 to $13 of QUEUE_FILTER, kept in t. */
struct db_review_filter_text {
    char min[24], max[24];
};
void db_review_filter_params(const struct db_review_filter *f, struct db_review_filter_text *t,
                             const char *p[QUEUE_WHERE_PARAMS]);

#endif
