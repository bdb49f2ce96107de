/* The approvers' queue of class filings (review_db.h): the classes of their regions waiting for
 * an approver's step — filed ones for acceptance, assessed ones for closing — a keyset page in
 * deadline or filing order and the counts for the same filters, two statements in one round
 * trip, as the claims' queue (review_queue.c). */
#include <stdio.h>
#include <stdlib.h>

#include "class_db.h"
#include "class_sql.h"
#include "db_exec.h"
#include "queue_sql.h"
#include "review_db.h"

// clang-format off
/* $1 regions csv $2 states csv $3 kind $4 policy $5 institution $6 filed_from $7 filed_to
 * $8 due_before $9 overdue only $10 today */
#define CLASS_QUEUE_FILTER                                                                         \
    " WHERE k.region IN (SELECT code FROM region WHERE code = ANY (string_to_array($1, ','))"      \
    "   OR parent = ANY (string_to_array($1, ',')))"                                               \
    "   AND k.state = ANY (string_to_array($2, ','))"                                              \
    "   AND ($3 = '' OR k.kind = $3) AND ($4 = '' OR k.policy_id = $4)"                            \
    "   AND ($5 = '' OR k.institution = $5)"                                                       \
    "   AND ($6 = '' OR k.filed_on >= nullif($6, '')::date)"                                       \
    "   AND ($7 = '' OR k.filed_on <= nullif($7, '')::date)"                                       \
    "   AND ($8 = '' OR k.deadline < nullif($8, '')::date)"                                        \
    "   AND (NOT $9::boolean OR k.deadline < $10::date)"

/* The page shows the institution's name; the counts scan class alone. */
#define CLASS_QUEUE_WHERE " FROM class k JOIN institution i ON i.credit_code = k.institution" CLASS_QUEUE_FILTER

/* What an approver needs to decide without a second request: the class as its reads give it,
 * the institution's name, the step it waits for, whether its deadline has passed and how many
 * roster signals it carries (the filing's detail lists them). */
#define CLASS_QUEUE_ITEM                                                                           \
    CLASS_JSON ", 'institution_name', i.name,"                                                     \
    " 'next_step', CASE k.state WHEN 'filed' THEN 'accept' WHEN 'assessed' THEN 'close' END,"      \
    " 'overdue', k.deadline < $10::date,"                                                          \
    " 'signal_count', jsonb_array_length(class_signals_json(k.id)))::text"

const struct db_stmt db_stmt_review_classes_due = {
    "review_classes_due",
    /* $11 after: the last deadline ('' for the first page) $12 its id $13 limit */
    "SELECT " CLASS_QUEUE_ITEM ", k.deadline::text || '_' || k.id" CLASS_QUEUE_WHERE
    "   AND ($11 = '' OR (k.deadline, k.id) > (nullif($11, '')::date, $12::bigint))"
    " ORDER BY k.deadline, k.id LIMIT $13::int",
    13, .plan_each = true};

const struct db_stmt db_stmt_review_classes_filed = {
    "review_classes_filed",
    /* $11 after: the last filing time in microseconds since 1970 $12 its id $13 limit */
    "SELECT " CLASS_QUEUE_ITEM ", (extract(epoch FROM k.filed_at) * 1000000)::bigint || '_' || k.id"
    CLASS_QUEUE_WHERE
    "   AND ($11 = '' OR (k.filed_at, k.id) > ('epoch'::timestamptz"
    "        + nullif($11, '')::bigint * interval '1 microsecond', $12::bigint))"
    " ORDER BY k.filed_at, k.id LIMIT $13::int",
    13, .plan_each = true};

const struct db_stmt db_stmt_review_class_counts = {
    "review_class_counts",
    QUEUE_COUNTS("class k", CLASS_QUEUE_FILTER, "k.state", "k.deadline", "$10::date"), 10,
    .plan_each = true};
// clang-format on

enum db_rc db_review_classes(struct db_conn *c, const struct db_review_class_filter *f,
                             struct db_page *page, json_t **counts)
{
    char after_id[24], limit[16];
    snprintf(after_id, sizeof after_id, "%lld", f->after_id);
    snprintf(limit, sizeof limit, "%d", f->limit + 1);
    const char *p[] = {f->regions_csv,
                       f->states_csv,
                       f->kind ? f->kind : "",
                       f->policy ? f->policy : "",
                       f->institution ? f->institution : "",
                       f->filed_from ? f->filed_from : "",
                       f->filed_to ? f->filed_to : "",
                       f->due_before ? f->due_before : "",
                       f->overdue_only ? "true" : "false",
                       f->today,
                       f->after_key ? f->after_key : "",
                       after_id,
                       limit};
    const struct db_stmt *s[] = {f->by_filing ? &db_stmt_review_classes_filed
                                              : &db_stmt_review_classes_due,
                                 &db_stmt_review_class_counts};
    return db_page_and_counts(c, s, p, f->limit, page, counts);
}
