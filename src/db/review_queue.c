/* The approvers' queue of claims (review_db.h): a keyset page in deadline or submission order and
 * the counts for the same filters, two statements in one round trip. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_sql.h"
#include "class_db.h"
#include "db_exec.h"
#include "review_db.h"
#include "review_queue_sql.h"

// clang-format off
/* What a reviewer needs to decide without a second request: the person masked (the name too:
 * a listing, the reveal is the detail view's), the amount, the rule's answer in short, the
 * deadline and whether it has passed, whether the claim was returned before. */
#define QUEUE_ITEM                                                                                 \
    "json_build_object('id', c.id, 'state', c.state, 'region', c.region, 'kind', c.kind,"          \
    " 'occupation', c.occupation, 'level', c.level, 'year', c.year, 'amount_fen', c.amount_fen,"   \
    " 'policy', json_build_object('id', c.policy_id, 'version', c.policy_version),"                \
    " 'person', json_build_object('name', " DB_MASK_NAME("p.name") ", 'id_number_masked',"        \
    " p.id_masked), 'employer', c.employer, 'owner_role', c.owner_role,"                           \
    " 'submitted_at', " CLAIM_TS("c.submitted_at") ", 'review_due', c.review_due::text,"           \
    " 'review_due_estimated', c.review_due_estimated, 'payment_hold', c.payment_hold,"            \
    " 'overdue', coalesce(c.review_due < $12::date, false), 'returned_before', c.returned_before," \
    " 'decision', json_build_object('eligible', c.decision -> 'eligible', 'explain',"              \
    " c.decision ->> 'explain', 'problems', (SELECT coalesce(json_agg(x ->> 'code'), '[]')"        \
    " FROM jsonb_array_elements(c.decision -> 'problems') x)))::text"

const struct db_stmt db_stmt_review_queue_due = {
    "review_queue_due",
    /* $13 after: the last deadline ('' for the first page) $14 its id $15 limit */
    "SELECT " QUEUE_ITEM ", c.review_due::text || '_' || c.id" QUEUE_WHERE
    "   AND ($13 = '' OR (c.review_due, c.id) > (nullif($13, '')::date, $14::bigint))"
    " ORDER BY c.review_due, c.id LIMIT $15::int",
    15};

const struct db_stmt db_stmt_review_queue_submitted = {
    "review_queue_submitted",
    /* $13 after: the last submission time in microseconds since 1970 $14 its id $15 limit */
    "SELECT " QUEUE_ITEM ", (extract(epoch FROM c.submitted_at) * 1000000)::bigint || '_' || c.id"
    QUEUE_WHERE
    "   AND ($13 = '' OR (c.submitted_at, c.id) > ('epoch'::timestamptz"
    "        + nullif($13, '')::bigint * interval '1 microsecond', $14::bigint))"
    " ORDER BY c.submitted_at, c.id LIMIT $15::int",
    15};

const struct db_stmt db_stmt_review_counts = {
    "review_counts",
    "SELECT json_build_object('by_state', (SELECT coalesce(json_object_agg(s.state, s.n), '{}')"
    "  FROM (SELECT c.state, count(*) AS n" QUEUE_WHERE " GROUP BY c.state) s),"
    " 'overdue', (SELECT count(*)" QUEUE_WHERE " AND c.review_due < $12::date))::text",
    12};
// clang-format on

void db_review_filter_params(const struct db_review_filter *f, struct db_review_filter_text *t,
                             const char *p[QUEUE_WHERE_PARAMS])
{
    snprintf(t->min, sizeof t->min, "%lld", f->amount_min);
    snprintf(t->max, sizeof t->max, "%lld", f->amount_max);
    const char *v[QUEUE_WHERE_PARAMS] = {f->regions_csv,
                                         f->states_csv,
                                         f->kind ? f->kind : "",
                                         f->policy ? f->policy : "",
                                         f->employer ? f->employer : "",
                                         t->min,
                                         t->max,
                                         f->submitted_from ? f->submitted_from : "",
                                         f->submitted_to ? f->submitted_to : "",
                                         f->due_before ? f->due_before : "",
                                         f->overdue_only ? "true" : "false",
                                         f->today};
    memcpy(p, v, sizeof v);
}

enum db_rc db_review_claims(struct db_conn *c, const struct db_review_filter *f,
                            struct db_page *page, json_t **counts)
{
    char after_id[24], limit[16];
    snprintf(after_id, sizeof after_id, "%lld", f->after_id);
    snprintf(limit, sizeof limit, "%d", f->limit + 1);
    struct db_review_filter_text t;
    const char *p[QUEUE_WHERE_PARAMS + 3];
    db_review_filter_params(f, &t, p);
    p[QUEUE_WHERE_PARAMS] = f->after_key ? f->after_key : "";
    p[QUEUE_WHERE_PARAMS + 1] = after_id;
    p[QUEUE_WHERE_PARAMS + 2] = limit;
    const struct db_stmt *s[] = {f->by_submission ? &db_stmt_review_queue_submitted
                                                  : &db_stmt_review_queue_due,
                                 &db_stmt_review_counts};
    return db_page_and_counts(c, s, p, f->limit, page, counts);
}
