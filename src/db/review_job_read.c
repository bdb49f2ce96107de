/* A review job and its items as an approver reads them (review_job_db.h): the counts come from
 * the items, so no row is updated by every item's decision. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_sql.h"
#include "db_exec.h"
#include "review_job_db.h"

// clang-format off
/* the job $1 when token $2 recorded it or an approver of regions $3 (csv) may see it: one of
 * its regions, or their city */
#define JOB_VISIBLE                                                                                \
    " j.id = $1::bigint AND (j.token_id = $2::bigint"                                              \
    "   OR j.regions && string_to_array($3, ',')"                                                  \
    "   OR EXISTS (SELECT 1 FROM region g WHERE g.code = ANY (j.regions)"                          \
    "              AND g.parent = ANY (string_to_array($3, ','))))"

const struct db_stmt db_stmt_review_job_get = {
    "review_job_get",
    "SELECT json_build_object('id', j.id, 'state', j.state, 'action', j.action,"
    " 'total', j.total,"
    " 'pending', count(*) FILTER (WHERE i.outcome = 'pending'),"
    " 'done', count(*) FILTER (WHERE i.outcome IN ('approved', 'rejected', 'refused')),"
    " 'approved', count(*) FILTER (WHERE i.outcome = 'approved'),"
    " 'rejected', count(*) FILTER (WHERE i.outcome = 'rejected'),"
    " 'refused', count(*) FILTER (WHERE i.outcome = 'refused'),"
    " 'failed', count(*) FILTER (WHERE i.outcome = 'failed'),"
    " 'cancelled', count(*) FILTER (WHERE i.outcome = 'cancelled'),"
    " 'failure', j.failure, 'selection', j.selection,"
    " 'created_at', " CLAIM_TS("j.created_at") ", 'started_at', " CLAIM_TS("j.started_at") ","
    " 'finished_at', " CLAIM_TS("j.finished_at") ")::text"
    " FROM review_job j LEFT JOIN review_job_item i ON i.job_id = j.id"
    " WHERE" JOB_VISIBLE " GROUP BY j.id",
    3};

const struct db_stmt db_stmt_review_job_items = {
    "review_job_items",
    /* $1 job $2 after claim id $3 outcome ('' every one) $4 limit */
    "SELECT json_build_object('claim_id', i.claim_id, 'outcome', i.outcome, 'status', i.status,"
    " 'answer', i.answer, 'decided_at', " CLAIM_TS("i.decided_at") ")::text, i.claim_id"
    " FROM review_job_item i WHERE i.job_id = $1::bigint AND i.claim_id > $2::bigint"
    "   AND ($3 = '' OR i.outcome = $3)"
    " ORDER BY i.claim_id LIMIT $4::int",
    4};

const struct db_stmt db_stmt_review_job_cancel = {
    "review_job_cancel",
    "WITH j AS (UPDATE review_job j SET state = 'cancelled', finished_at = now()"
    "  WHERE" JOB_VISIBLE " AND j.state IN ('queued', 'running') RETURNING j.id),"
    " i AS (UPDATE review_job_item i SET outcome = 'cancelled', decided_at = now() FROM j"
    "  WHERE i.job_id = j.id AND i.outcome = 'pending' RETURNING 1)"
    " SELECT (SELECT count(*) FROM i) FROM j",
    3};
// clang-format on

/* JOB_VISIBLE's parameters. */
struct job_key {
    char id[24], token[24];
    const char *p[3];
};
static void job_key(struct job_key *k, long long id, long long token, const char *regions_csv)
{
    snprintf(k->id, sizeof k->id, "%lld", id);
    snprintf(k->token, sizeof k->token, "%lld", token);
    k->p[0] = k->id;
    k->p[1] = k->token;
    k->p[2] = regions_csv;
}

enum db_rc db_review_job_get(struct db_conn *c, long long id, long long token,
                             const char *regions_csv, char **json)
{
    struct job_key k;
    job_key(&k, id, token, regions_csv);
    enum db_rc rc;
    *json = NULL;
    PGresult *res = db_exec_row(c, &db_stmt_review_job_get, k.p, true, &rc);
    if (!res)
        return rc;
    *json = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return *json ? DB_OK : DB_HARD;
}

enum db_rc db_review_job_items(struct db_conn *c, long long id, long long after,
                               const char *outcome, int limit, struct db_page *out)
{
    char ids[24], aft[24];
    snprintf(ids, sizeof ids, "%lld", id);
    snprintf(aft, sizeof aft, "%lld", after);
    const char *p[] = {ids, aft, outcome ? outcome : "", NULL};
    return db_page_exec(c, &db_stmt_review_job_items, p, limit, DB_KEY_INT, out);
}

enum db_rc db_review_job_cancel(struct db_conn *c, long long id, long long token,
                                const char *regions_csv, long long *cancelled)
{
    struct job_key k;
    job_key(&k, id, token, regions_csv);
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_review_job_cancel, k.p, false, &rc);
    if (!res)
        return rc;
    *cancelled = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    return DB_OK;
}
