/* The worker's side of review jobs (review_job_db.h): the next item taken with FOR UPDATE SKIP
 * LOCKED in the transaction that decides it, its answer stored there, and the jobs' states
 * settled from their items. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_exec.h"
#include "review_job_db.h"

// clang-format off
const struct db_stmt db_stmt_review_job_next = {
    "review_job_next",
    "SELECT i.job_id, i.claim_id, j.token_id, j.action, j.reason, j.reason_codes::text,"
    "       j.state = 'queued'"
    " FROM review_job_item i JOIN review_job j ON j.id = i.job_id"
    " WHERE i.outcome = 'pending' AND j.state IN ('queued', 'running')"
    " ORDER BY i.job_id, i.claim_id LIMIT 1 FOR UPDATE OF i SKIP LOCKED",
    0};

const struct db_stmt db_stmt_review_job_item_store = {
    "review_job_item_store",
    "UPDATE review_job_item SET outcome = $3, status = $4::int, answer = $5::jsonb,"
    " decided_at = now()"
    " WHERE job_id = $1::bigint AND claim_id = $2::bigint AND outcome = 'pending'",
    5};

const struct db_stmt db_stmt_review_jobs_settle = {
    "review_jobs_settle",
    "WITH r AS (UPDATE review_job j SET state = 'running', started_at = now()"
    "  WHERE j.state = 'queued' AND EXISTS (SELECT 1 FROM review_job_item i"
    "  WHERE i.job_id = j.id AND i.outcome <> 'pending') RETURNING j.id)"
    " UPDATE review_job j SET state = 'done', finished_at = now()"
    " WHERE j.state = 'running' AND NOT EXISTS (SELECT 1 FROM review_job_item i"
    "  WHERE i.job_id = j.id AND i.outcome = 'pending')",
    0};

const struct db_stmt db_stmt_review_job_fail = {
    "review_job_fail",
    /* $1 job $2 code $3 status $4 problem */
    "WITH j AS (UPDATE review_job SET state = 'failed', failure = $2::int,"
    "  started_at = coalesce(started_at, now()), finished_at = now()"
    "  WHERE id = $1::bigint AND state IN ('queued', 'running') RETURNING id)"
    " UPDATE review_job_item i SET outcome = 'failed', status = $3::int,"
    "  answer = jsonb_build_object('claim_id', i.claim_id, 'status', $3::int,"
    "  'problem', $4::jsonb), decided_at = now()"
    " FROM j WHERE i.job_id = j.id AND i.outcome = 'pending'",
    4};
// clang-format on

static char *value_or_null(const PGresult *res, int col)
{
    return PQgetisnull(res, 0, col) ? NULL : strdup(PQgetvalue(res, 0, col));
}

enum db_rc db_review_job_next(struct db_conn *c, struct db_review_job_item *out)
{
    memset(out, 0, sizeof *out);
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_review_job_next, NULL, false, &rc);
    if (!res)
        return rc;
    out->job_id = atoll(PQgetvalue(res, 0, 0));
    out->claim_id = atoll(PQgetvalue(res, 0, 1));
    out->token = atoll(PQgetvalue(res, 0, 2));
    snprintf(out->action, sizeof out->action, "%s", PQgetvalue(res, 0, 3));
    out->reason = value_or_null(res, 4);
    out->reason_codes_json = value_or_null(res, 5);
    out->queued = PQgetvalue(res, 0, 6)[0] == 't';
    PQclear(res);
    return DB_OK;
}

void db_review_job_item_free(struct db_review_job_item *it)
{
    free(it->reason);
    free(it->reason_codes_json);
    it->reason = it->reason_codes_json = NULL;
}

enum db_rc db_review_job_item_store(struct db_conn *c, long long job, long long claim,
                                    const char *outcome, int status, const char *answer_json)
{
    char j[24], k[24], s[16];
    snprintf(j, sizeof j, "%lld", job);
    snprintf(k, sizeof k, "%lld", claim);
    snprintf(s, sizeof s, "%d", status);
    const char *p[] = {j, k, outcome, s, answer_json};
    enum db_rc rc;
    PGresult *res = db_exec(c, &db_stmt_review_job_item_store, p, &rc);
    if (!res)
        return rc;
    rc = strcmp(PQcmdTuples(res), "1") == 0 ? DB_OK : DB_NOT_FOUND;
    PQclear(res);
    return rc;
}

enum db_rc db_review_jobs_settle(struct db_conn *c)
{
    enum db_rc rc;
    PQclear(db_exec(c, &db_stmt_review_jobs_settle, NULL, &rc));
    return rc;
}

enum db_rc db_review_job_fail(struct db_conn *c, long long id, int code, int status,
                              const char *problem_json)
{
    char j[24], k[16], s[16];
    snprintf(j, sizeof j, "%lld", id);
    snprintf(k, sizeof k, "%d", code);
    snprintf(s, sizeof s, "%d", status);
    const char *p[] = {j, k, s, problem_json};
    enum db_rc rc;
    PQclear(db_exec(c, &db_stmt_review_job_fail, p, &rc));
    return rc;
}
