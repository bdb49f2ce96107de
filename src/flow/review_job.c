/* Bulk review jobs (claim.h): for sets larger than one bulk request, a job records the claim ids
 * its selection names, and a worker decides them one at a time — each item taken with FOR
 * UPDATE SKIP LOCKED in the transaction that decides it by the single decision's step and
 * stores its answer, so no transaction or lock spans the set, two daemons share a job, and a
 * crash loses nothing decided and decides nothing twice.  Each item is decided as the job's
 * approver as the database knows them at that item: a token revoked or expired, or an account
 * disabled, fails the job's remaining items with that reason. */
#include "claim.h"

#include "review_job_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The principal's regions, comma-separated. */
static void regions_csv(const struct sd_principal *who, char *out, size_t len)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < who->nregions && used < len; i++)
        used += (size_t)snprintf(out + used, len - used, "%s%s", i ? "," : "", who->regions[i]);
}

static char *dumps(const json_t *j)
{
    return j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
}

/* The job as the caller reads it, as res (status). */
static enum db_rc job_reply(const struct flow_caller *c, struct db_conn *db, long long id,
                            unsigned status, struct flow_result *res)
{
    char regions[SD_MAX_REGIONS * (SD_REGION_LEN + 1) + 1], *text = NULL;
    regions_csv(c->who, regions, sizeof regions);
    enum db_rc rc = db_review_job_get(db, id, c->who->token_id, regions, &text);
    json_t *job = rc == DB_OK ? json_loads(text, 0, NULL) : NULL;
    free(text);
    if (rc == DB_NOT_FOUND)
        return flow_refuse(res, SD_E_NOT_FOUND, NULL, NULL);
    if (rc != DB_OK || !job)
        return flow_db(res, rc == DB_OK ? DB_HARD : rc);
    return flow_done(res, status, job);
}

static enum db_rc job_audit(const struct flow_caller *c, struct db_conn *db, long long id,
                            const char *action, json_t *after_take)
{
    char ids[24], *after = dumps(after_take);
    json_decref(after_take);
    snprintf(ids, sizeof ids, "%lld", id);
    const struct db_audit_row a = {.actor = c->who->token_id,
                                   .action = action,
                                   .object_kind = "review_job",
                                   .object_id = ids,
                                   .after = after,
                                   .request_id = c->request_id};
    enum db_rc rc = after ? db_audit(db, &a) : DB_HARD;
    free(after);
    return rc;
}

enum db_rc flow_review_job_create(const struct flow_caller *c, struct db_conn *db,
                                  const struct flow_args *args, struct flow_result *res)
{
    const struct review_job_in *in = args->in.job;
    char *codes = dumps(in->reason_codes), *selection = dumps(in->selection);
    const struct db_review_job_new j = {.f = in->filter,
                                        .class_id = in->class_id,
                                        .max_items = in->max_items,
                                        .token = c->who->token_id,
                                        .action = in->action,
                                        .reason = in->reason,
                                        .reason_codes_json = codes,
                                        .selection_json = selection,
                                        .request_id = c->request_id};
    long long id = 0, count = 0;
    enum db_rc rc = selection ? db_review_job_insert(db, &j, &id, &count) : DB_HARD;
    free(codes);
    free(selection);
    if (rc != DB_OK)
        return flow_db(res, rc);
    if (count == 0)
        return flow_refuse(res, SD_E_REVIEW_JOB_EMPTY, NULL, NULL);
    if (id == 0) {
        char detail[96];
        snprintf(detail, sizeof detail,
                 c->errors->lang_en ? "%lld claims; at most %d in one job"
                                    : "%lld 件；每个任务至多 %d 件",
                 count, in->max_items);
        return flow_refuse(
            res, SD_E_REVIEW_JOB_TOO_LARGE, detail,
            json_pack("{s:I, s:i}", "count", (json_int_t)count, "max_items", in->max_items));
    }
    rc = job_audit(c, db, id, "review_job.create",
                   json_pack("{s:s, s:I, s:O}", "action", in->action, "total", (json_int_t)count,
                             "selection", in->selection));
    if (rc != DB_OK)
        return flow_db(res, rc);
    return job_reply(c, db, id, 202, res);
}

enum db_rc flow_review_job_cancel(const struct flow_caller *c, struct db_conn *db,
                                  const struct flow_args *args, struct flow_result *res)
{
    char regions[SD_MAX_REGIONS * (SD_REGION_LEN + 1) + 1];
    regions_csv(c->who, regions, sizeof regions);
    long long cancelled = 0;
    enum db_rc rc = db_review_job_cancel(db, args->id, c->who->token_id, regions, &cancelled);
    if (rc == DB_OK) {
        rc = job_audit(
            c, db, args->id, "review_job.cancel",
            json_pack("{s:s, s:I}", "state", "cancelled", "cancelled", (json_int_t)cancelled));
        return rc == DB_OK ? job_reply(c, db, args->id, 200, res) : flow_db(res, rc);
    }
    if (rc != DB_NOT_FOUND)
        return flow_db(res, rc);
    /* not queued or running: unknown to the caller, cancelled before (the same answer), or
     * ended */
    rc = job_reply(c, db, args->id, 200, res);
    const char *state = rc == DB_OK ? json_string_value(json_object_get(res->body, "state")) : "";
    if (rc != DB_OK || strcmp(state ? state : "", "cancelled") == 0)
        return rc;
    json_t *members = json_pack("{s:s}", "state", state ? state : "");
    flow_result_free(res);
    return flow_refuse(res, SD_E_REVIEW_JOB_ENDED, NULL, members);
}

/* One item's run by the worker. */
struct item_run {
    const struct review_job_worker *w;
    struct db_review_job_item it;
    struct sd_principal who;
    struct jerrors errors;
    struct flow_caller c;
    char request_id[40];
    bool found;
    enum sd_err token_code; /* the approver may no longer act: why (0: they may) */
    json_t *codes;
    struct flow_result res;
};

/* May the job's approver still act?  0, or why not. */
static enum sd_err approver_gone(enum db_rc rc, enum db_token_state state,
                                 const struct sd_principal *who)
{
    if (rc == DB_NOT_FOUND || state == DB_TOKEN_REVOKED)
        return SD_E_TOKEN_INVALID;
    if (state == DB_TOKEN_EXPIRED)
        return SD_E_TOKEN_EXPIRED;
    return who->role == SD_ROLE_APPROVER ? 0 : SD_E_FORBIDDEN;
}

static enum db_rc item_body(struct db_conn *db, void *cls)
{
    struct item_run *x = cls;
    flow_result_free(&x->res);
    jerr_clear(&x->errors);
    json_decref(x->codes);
    x->codes = NULL;
    db_review_job_item_free(&x->it);
    x->found = false;
    x->token_code = 0;
    enum db_rc rc = db_review_job_next(db, &x->it);
    if (rc == DB_NOT_FOUND)
        return DB_OK;
    if (rc != DB_OK)
        return rc;
    x->found = true;
    snprintf(x->request_id, sizeof x->request_id, "review-job-%lld", x->it.job_id);
    x->errors.lang_en = x->w->lang_en;
    x->c = (struct flow_caller){.who = &x->who,
                                .request_id = x->request_id,
                                .today = cj_today(),
                                .errors = &x->errors,
                                .policies = x->w->policies,
                                .pii = x->w->pii,
                                .review_days = x->w->review_days};
    enum db_token_state state = DB_TOKEN_ACTIVE;
    rc = db_token_by_id(db, x->it.token, &x->who, &state);
    if (rc != DB_OK && rc != DB_NOT_FOUND)
        return rc;
    x->token_code = approver_gone(rc, state, &x->who);
    if (x->token_code) {
        flow_refuse(&x->res, x->token_code, NULL, NULL);
        return DB_ABORT;
    }
    x->codes = x->it.reason_codes_json ? json_loads(x->it.reason_codes_json, 0, NULL) : NULL;
    bool reject = strcmp(x->it.action, "reject") == 0;
    const struct review_item_step step = {.action = reject ? SR_CLAIM_REJECT : SR_CLAIM_APPROVE,
                                          .reason = x->it.reason,
                                          .reason_codes = x->codes,
                                          .assign_minutes = x->w->assign_minutes};
    rc = review_item_decide(&x->c, db, x->it.claim_id, &step, &x->res);
    if (rc != DB_OK)
        return rc; /* refused: rolled back, its answer stored next */
    json_t *answer = review_item_answer(&x->c, x->it.claim_id, &x->res);
    char *text = dumps(answer);
    json_decref(answer);
    rc = text ? db_review_job_item_store(db, x->it.job_id, x->it.claim_id,
                                         reject ? "rejected" : "approved", (int)x->res.status, text)
              : DB_HARD;
    free(text);
    return rc;
}

/* The refused item's answer stored in a statement of its own: nothing was written for it, and
 * when another worker took the item meanwhile (or the job was cancelled) this stores nothing. */
static enum db_rc store_refusal(struct db_conn *db, struct item_run *x)
{
    json_t *answer = review_item_answer(&x->c, x->it.claim_id, &x->res);
    char *text = dumps(answer);
    int status = (int)json_integer_value(json_object_get(answer, "status"));
    json_decref(answer);
    enum db_rc rc =
        text ? db_review_job_item_store(db, x->it.job_id, x->it.claim_id, "refused", status, text)
             : DB_HARD;
    free(text);
    return rc == DB_NOT_FOUND ? DB_OK : rc;
}

/* The job's remaining items fail as the approver may no longer act. */
static enum db_rc fail_job(struct db_conn *db, struct item_run *x)
{
    json_t *answer = review_item_answer(&x->c, x->it.claim_id, &x->res);
    json_t *problem = json_object_get(answer, "problem");
    char *text = dumps(problem);
    int status = (int)json_integer_value(json_object_get(problem, "status"));
    enum db_rc rc = text ? db_review_job_fail(db, x->it.job_id, sd_err_lookup(x->token_code)->code,
                                              status, text)
                         : DB_HARD;
    json_decref(answer);
    free(text);
    return rc;
}

enum db_rc flow_review_job_step(const struct review_job_worker *w, struct db_conn *db, bool *worked)
{
    struct item_run x = {.w = w};
    enum db_rc rc = db_txn(db, item_body, &x);
    *worked = x.found;
    if (rc == DB_ABORT && x.token_code)
        rc = fail_job(db, &x);
    else if (rc == DB_ABORT)
        rc = store_refusal(db, &x);
    else if (x.found && (rc == DB_HARD || rc == DB_TIMEOUT || rc == DB_CONTENTION)) {
        /* our bug on this item (internal), or its claim held locked past lock_timeout by
         * someone else (db_timeout, db_contention: retry it alone later): kept as refused, so
         * that one item never stalls the job; a database that is away leaves it waiting */
        flow_result_free(&x.res);
        if (rc == DB_HARD)
            flow_db(&x.res, DB_HARD);
        else
            flow_refuse(&x.res, rc == DB_TIMEOUT ? SD_E_DB_TIMEOUT : SD_E_DB_CONTENTION, NULL,
                        NULL);
        rc = store_refusal(db, &x);
    }
    if (rc == DB_OK && (!x.found || x.it.queued))
        rc = db_review_jobs_settle(db);
    flow_result_free(&x.res);
    jerr_clear(&x.errors);
    json_decref(x.codes);
    db_review_job_item_free(&x.it);
    return rc;
}
