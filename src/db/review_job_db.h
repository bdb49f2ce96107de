#ifndef SD_DB_REVIEW_JOB_H
#define SD_DB_REVIEW_JOB_H

/* Bulk review jobs (sql/0034_review_jobs.sql): a job recorded with its items in one short
 * transaction (review_job_insert.c), read and cancelled by whom may see it (review_job_read.c),
 * and worked item by item (review_job_work.c). */

#include "ops.h"
#include "page.h"
#include "review_db.h"

/* A job to record: the claims f names (in f's regions, at this moment), of class class_id's
 * certificates when it is not 0. */
struct db_review_job_new {
    const struct db_review_filter *f;
    long long class_id;
    int max_items;
    long long token; /* the approver's */
    const char *action, *reason, *reason_codes_json, *selection_json, *request_id;
};
/* *id the new job (0 when none was recorded) and *count the claims the selection names: none is
 * recorded when there are none or more than max_items. */
enum db_rc db_review_job_insert(struct db_conn *c, const struct db_review_job_new *j, long long *id,
                                long long *count);

/* *json the job {id, state, action, total, pending, done, approved, rejected, refused, failed,
 * cancelled, failure, created_at, started_at, finished_at} (caller frees), when token recorded it
 * or an approver of regions_csv (one of its regions, or their city) may see it; else
 * DB_NOT_FOUND. */
enum db_rc db_review_job_get(struct db_conn *c, long long id, long long token,
                             const char *regions_csv, char **json);
/* A page of job id's items in claim order after claim after (0: from the first), of outcome
 * (NULL: every one): {claim_id, outcome, status, answer, decided_at} keyed by claim id. */
enum db_rc db_review_job_items(struct db_conn *c, long long id, long long after,
                               const char *outcome, int limit, struct db_page *out);
/* Cancel job id, visible as db_review_job_get says: its items not decided yet are cancelled;
 * *cancelled how many (DB_NOT_FOUND when the job was not queued or running). */
enum db_rc db_review_job_cancel(struct db_conn *c, long long id, long long token,
                                const char *regions_csv, long long *cancelled);

/* The next item to decide, locked (FOR UPDATE SKIP LOCKED: an item another worker holds is
 * passed over) in the caller's transaction: DB_NOT_FOUND when none waits. */
struct db_review_job_item {
    long long job_id, claim_id, token;
    char action[16];
    char *reason, *reason_codes_json; /* NULL: none; db_review_job_item_free */
    bool queued;                      /* the job's first item: mark it running */
};
enum db_rc db_review_job_next(struct db_conn *c, struct db_review_job_item *out);
void db_review_job_item_free(struct db_review_job_item *it);
/* Store item (job, claim)'s outcome, HTTP status and answer (JSON text), if it still waits:
 * DB_NOT_FOUND when it was decided, cancelled or failed meanwhile. */
enum db_rc db_review_job_item_store(struct db_conn *c, long long job, long long claim,
                                    const char *outcome, int status, const char *answer_json);
/* The jobs' states as their items say: queued jobs with an item decided running, running jobs
 * without an item waiting done; one statement. */
enum db_rc db_review_jobs_settle(struct db_conn *c);
/* Job id fails with error code (api/errors.csv): its waiting items fail with the problem
 * problem_json (the HTTP status status), each item's claim_id added. */
enum db_rc db_review_job_fail(struct db_conn *c, long long id, int code, int status,
                              const char *problem_json);

#endif
