/* The approvers' queue of claims (review_db.h): a keyset page in deadline or submission order and
 * the counts for the same filters, two statements in one round trip. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_sql.h"
#include "class_db.h"
#include "db_exec.h"
#include "queue_sql.h"
#include "review_db.h"
#include "review_queue_sql.h"

// clang-format off
/* An appealed claim's appeal (复议): when it was filed, why, the rejection's reason codes, and
 * whether the approver of token $17 made the rejection (they may not decide the appeal); null
 * for the other states. */
#define QUEUE_APPEAL                                                                               \
    "CASE WHEN c.state = 'appealed' THEN (SELECT json_build_object('filed_at', " CLAIM_TS("e.at")   \
    ", 'reason', e.detail ->> 'reason', 'reason_codes', coalesce(j.detail -> 'reason_codes',"      \
    " '[]'), 'rejected_by_you', j.actor = $17::bigint OR coalesce(ta.account_id = tb.account_id,"  \
    " false)) FROM claim_event e JOIN claim_event j ON j.id = (e.detail ->> 'decision')::bigint"   \
    " LEFT JOIN token ta ON ta.id = j.actor LEFT JOIN token tb ON tb.id = $17::bigint"             \
    " WHERE e.claim_id = c.id AND e.action = 'appeal' ORDER BY e.id DESC LIMIT 1) END"

/* What a reviewer needs to decide without a second request: the person masked (the name too:
 * a listing, the reveal is the detail view's), the amount, the rule's answer in short, the
 * deadline and whether it has passed, whether the claim was returned before, and why it is in
 * the 告知承诺 sample (null when it is not: the reasons, the draw, the setting's figures, the
 * verification's outcome so far). */
#define QUEUE_ITEM                                                                                 \
    "json_build_object('id', c.id, 'state', c.state, 'region', c.region, 'kind', c.kind,"          \
    " 'occupation', c.occupation, 'level', c.level, 'year', c.year, 'amount_fen', c.amount_fen,"   \
    " 'policy', json_build_object('id', c.policy_id, 'version', c.policy_version),"                \
    " 'person', json_build_object('name', " DB_MASK_NAME("p.name") ", 'id_number_masked',"        \
    " p.id_masked), 'employer', c.employer, 'owner_role', c.owner_role,"                           \
    " 'submitted_at', " CLAIM_TS("c.submitted_at") ", 'review_due', c.review_due::text,"           \
    " 'review_due_estimated', c.review_due_estimated, 'payment_hold', c.payment_hold,"            \
    " 'overdue', coalesce(c.review_due < $12::date, false), 'returned_before', c.returned_before," \
    " 'sample', CASE WHEN c.commitment THEN (SELECT json_build_object('reasons', s.reasons,"      \
    " 'draw', s.draw, 'percent_bp', s.percent_bp, 'above_fen', s.above_fen, 'outcome', s.outcome)" \
    " FROM claim_sample s WHERE s.claim_id = c.id AND s.sampled) END,"                            \
    " 'decision', json_build_object('eligible', c.decision -> 'eligible', 'explain',"              \
    " c.decision ->> 'explain', 'problems', (SELECT coalesce(json_agg(x ->> 'code'), '[]')"        \
    " FROM jsonb_array_elements(c.decision -> 'problems') x)), 'appeal', " QUEUE_APPEAL ")::text"

/*
 * A page in the order ORDER from CURSOR ("AND …"): the first LIMIT claims of each region the
 * caller sees, each region read from its own index (claim_queue_due, claim_queue_submitted: region
 * first) from the cursor on, then merged.  One scan of the whole queue in the order's index,
 * keeping the caller's regions, would read past the end of theirs into everyone else's to learn
 * that no next page exists: for a district whose claims end before the city's, its last page read
 * 58,755 claims (2 s) where this reads 50 (11 ms).  The page shows the person; the counts and a
 * job's selection read no person, so they scan claim alone (FROM claim c QUEUE_FILTER).
 */
#define QUEUE_PAGE(ORDER, CURSOR)                                                                  \
    " FROM " QUEUE_REGIONS " g CROSS JOIN LATERAL (SELECT c.* FROM claim c"                        \
    " WHERE c.region = g.code" QUEUE_CONDITIONS CURSOR " ORDER BY " ORDER " LIMIT $16::int) c"     \
    " JOIN person p ON p.id = c.person_id ORDER BY " ORDER " LIMIT $16::int"

const struct db_stmt db_stmt_review_queue_due = {
    "review_queue_due",
    /* $14 after: the last deadline ('' for the first page) $15 its id $16 limit $17 the
     * caller's token */
    "SELECT " QUEUE_ITEM ", c.review_due::text || '_' || c.id"
    QUEUE_PAGE("c.review_due, c.id",
               "   AND ($14 = '' OR (c.review_due, c.id) > (nullif($14, '')::date, $15::bigint))"),
    17, .plan_each = true};

const struct db_stmt db_stmt_review_queue_submitted = {
    "review_queue_submitted",
    /* $14 after: the last submission time in microseconds since 1970 $15 its id $16 limit
     * $17 the caller's token */
    "SELECT " QUEUE_ITEM ", (extract(epoch FROM c.submitted_at) * 1000000)::bigint || '_' || c.id"
    QUEUE_PAGE("c.submitted_at, c.id",
               "   AND ($14 = '' OR (c.submitted_at, c.id) > ('epoch'::timestamptz"
               "        + nullif($14, '')::bigint * interval '1 microsecond', $15::bigint))"),
    17, .plan_each = true};

const struct db_stmt db_stmt_review_counts = {
    "review_counts", QUEUE_COUNTS("claim c", QUEUE_FILTER, "c.state", "c.review_due", "$12::date"),
    13, .plan_each = true};
// clang-format on

void db_review_filter_params(const struct db_review_filter *f, struct db_review_filter_text *t,
                             const char *p[QUEUE_WHERE_PARAMS])
{
    snprintf(t->min, sizeof t->min, "%lld", f->has_amount_min ? f->amount_min : -1);
    snprintf(t->max, sizeof t->max, "%lld", f->has_amount_max ? f->amount_max : -1);
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
                                         f->today,
                                         f->sampled ? f->sampled : ""};
    memcpy(p, v, sizeof v);
}

enum db_rc db_review_claims(struct db_conn *c, const struct db_review_filter *f,
                            struct db_page *page, json_t **counts)
{
    char after_id[24], limit[16], caller[24];
    snprintf(after_id, sizeof after_id, "%lld", f->after_id);
    snprintf(limit, sizeof limit, "%d", f->limit + 1);
    snprintf(caller, sizeof caller, "%lld", f->caller_token);
    struct db_review_filter_text t;
    const char *p[QUEUE_WHERE_PARAMS + 4];
    db_review_filter_params(f, &t, p);
    p[QUEUE_WHERE_PARAMS] = f->after_key ? f->after_key : "";
    p[QUEUE_WHERE_PARAMS + 1] = after_id;
    p[QUEUE_WHERE_PARAMS + 2] = limit;
    p[QUEUE_WHERE_PARAMS + 3] = caller;
    const struct db_stmt *s[] = {f->by_submission ? &db_stmt_review_queue_submitted
                                                  : &db_stmt_review_queue_due,
                                 &db_stmt_review_counts};
    return db_page_and_counts(c, s, p, f->limit, page, counts);
}
