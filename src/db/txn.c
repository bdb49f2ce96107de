/* Statements and transactions on a worker's connection (conn.h): one statement, pipelines of
 * several in one round trip (libpq pipeline mode), BEGIN with the first statement, a guard with
 * it, the writes deferred to COMMIT, retries. */
#include "conn.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

static void params_free(struct deferred *d)
{
    for (int k = 0; d->params && k < d->s->nparams; k++)
        free(d->params[k]);
    free(d->params);
    d->params = NULL;
}

/* s with a copy of its parameters into d; false when out of memory. */
static bool params_copy(struct deferred *d, const struct db_stmt *s, const char *const *params)
{
    char **copy = calloc((size_t)s->nparams + 1, sizeof *copy);
    if (!copy)
        return false;
    for (int k = 0; k < s->nparams; k++)
        if (params[k] && !(copy[k] = strdup(params[k]))) {
            for (int j = 0; j < k; j++)
                free(copy[j]);
            free(copy);
            return false;
        }
    *d = (struct deferred){s, copy};
    return true;
}

static void deferred_clear(struct db_conn *c)
{
    for (size_t i = 0; i < c->nq; i++)
        params_free(&c->q[i]);
    c->nq = 0;
}

static void guard_clear(struct db_conn *c)
{
    if (c->guard.s)
        params_free(&c->guard);
    c->guard = (struct deferred){0};
    c->guard_state = DB_GUARD_NONE;
}

void conn_txn_free(struct db_conn *c)
{
    deferred_clear(c);
    guard_clear(c);
    free(c->q);
    c->q = NULL;
    c->capq = 0;
}

/* One command of a pipeline: a prepared statement with its parameters, or plain SQL without
 * any (BEGIN, COMMIT, ROLLBACK). */
struct piece {
    const struct db_stmt *s;
    const char *const *params;
    const char *sql;
};

static bool ok_status(const PGresult *res)
{
    ExecStatusType st = PQresultStatus(res);
    return st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK;
}

/*
 * Send n pieces in one pipeline (one round trip, libpq pipeline mode) and read every result.
 * out[i] (when out is not NULL) gets piece i's result for every piece before the first failure
 * (the caller PQclear()s each), NULL from it on.  Returns DB_OK when every piece succeeded, else
 * the first failure's outcome (the server skips what follows it up to the sync; a transaction
 * it was in is then aborted), with *failed at its index.
 */
/* Sends one piece into the pipeline: a prepared statement by name, or its text (plan_each). */
static bool send_piece(PGconn *pg, const struct piece *p)
{
    if (!p->s)
        return PQsendQueryParams(pg, p->sql, 0, NULL, NULL, NULL, NULL, 0) == 1;
    if (p->s->plan_each)
        return PQsendQueryParams(pg, p->s->sql, p->s->nparams, NULL, p->params, NULL, NULL, 0) == 1;
    return PQsendQueryPrepared(pg, p->s->name, p->s->nparams, p->params, NULL, NULL, 0) == 1;
}

static enum db_rc pipeline(struct db_conn *c, const struct piece *p, size_t n, PGresult **out,
                           size_t *failed)
{
    *failed = n;
    for (size_t i = 0; out && i < n; i++)
        out[i] = NULL;
    if (!c->ready) {
        *failed = 0;
        return DB_UNAVAILABLE;
    }
    conn_count(CONN_ROUND_TRIP);
    bool sent = PQenterPipelineMode(c->pg) == 1;
    for (size_t i = 0; sent && i < n; i++)
        sent = send_piece(c->pg, &p[i]);
    if (!sent || PQpipelineSync(c->pg) != 1) {
        *failed = 0;
        return db_classify(c, NULL); /* libpq could not send: the connection is gone */
    }
    enum db_rc rc = DB_OK;
    for (size_t i = 0; i < n; i++) {
        PGresult *res = PQgetResult(c->pg);
        if (!res) { /* the connection broke before this piece's answer */
            rc = db_classify(c, NULL);
            if (*failed == n)
                *failed = i;
            break;
        }
        if (*failed == n && !ok_status(res)) {
            rc = db_classify(c, res);
            *failed = i;
        }
        if (out && *failed == n)
            out[i] = res;
        else
            PQclear(res);
        while ((res = PQgetResult(c->pg))) /* the NULL that ends this piece's results */
            PQclear(res);
        if (!c->ready)
            break;
    }
    if (c->ready) {
        PGresult *sync = PQgetResult(c->pg);
        bool synced = PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
        PQclear(sync);
        if (!synced || PQexitPipelineMode(c->pg) != 1) {
            log_bug("pipeline out of step", NULL);
            conn_disconnect(c);
            rc = DB_UNAVAILABLE;
        }
    }
    for (size_t i = *failed < n ? *failed : 0; rc != DB_OK && out && i < n; i++) {
        PQclear(out[i]);
        out[i] = NULL;
    }
    return rc;
}

/* What the transaction's opening round trip said of its guard (the piece at index at of res,
 * which failed at index failed): DB_OK when it gave a row or there is none. */
static enum db_rc guard_read(struct db_conn *c, PGresult **res, size_t at, size_t failed,
                             enum db_rc rc)
{
    if (c->guard_state != DB_GUARD_PENDING)
        return rc;
    if (rc != DB_OK && failed <= at) {
        c->guard_state = failed == at ? DB_GUARD_FAILED : DB_GUARD_PENDING;
        return rc;
    }
    if (!res[at]) /* the pipeline fell out of step: nothing is known of it */
        return rc;
    /* read even when a later statement failed: a key another request holds is the answer,
     * whatever the work's first statement ran into (the transaction is aborted either way) */
    if (PQntuples(res[at]) == 0) {
        c->guard_state = DB_GUARD_EMPTY;
        return DB_GUARDED;
    }
    c->guard_state = DB_GUARD_PASSED;
    return rc;
}

/*
 * n statements in one round trip, with BEGIN (and the guard) in front when they open the
 * transaction; n may be 0 to open it alone.  out[i] gets statement i's result (the caller
 * PQclear()s each) when all succeeded; else every out[i] is NULL and the first failure is
 * returned.  One statement on an open connection goes without pipeline mode.
 */
static enum db_rc exec_many(struct db_conn *c, size_t n, const struct db_stmt *const *s,
                            const char *const *const *params, PGresult **out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = NULL;
    if (!c->ready)
        return DB_UNAVAILABLE;
    if (c->in_txn && c->guard_state == DB_GUARD_EMPTY) /* nothing of this transaction counts */
        return DB_GUARDED;
    if (n == 1 && !c->begin_pending) {
        conn_count(CONN_ROUND_TRIP);
        PGresult *res =
            s[0]->plan_each
                ? PQexecParams(c->pg, s[0]->sql, s[0]->nparams, NULL, params[0], NULL, NULL, 0)
                : PQexecPrepared(c->pg, s[0]->name, s[0]->nparams, params[0], NULL, NULL, 0);
        if (ok_status(res)) {
            out[0] = res;
            return DB_OK;
        }
        enum db_rc rc = db_classify(c, res);
        PQclear(res);
        return rc;
    }
    struct piece p[2 + DB_EXEC_MANY_MAX] = {{0}};
    PGresult *res[2 + DB_EXEC_MANY_MAX];
    size_t k = 0, guard_at = 0;
    bool opens = c->begin_pending;
    if (n > DB_EXEC_MANY_MAX) {
        log_bug("too many statements for one round trip", NULL);
        return DB_HARD;
    }
    if (opens) { /* BEGIN (and the guard) travel with the transaction's first statements */
        p[k++] = (struct piece){.sql = "BEGIN"};
        if (c->guard_state == DB_GUARD_PENDING) {
            guard_at = k;
            p[k++] =
                (struct piece){.s = c->guard.s, .params = (const char *const *)c->guard.params};
        }
        c->begin_pending = false;
    }
    size_t first = k;
    for (size_t i = 0; i < n; i++)
        p[k++] = (struct piece){.s = s[i], .params = params[i]};
    size_t failed;
    enum db_rc rc = pipeline(c, p, k, res, &failed);
    c->died_in_begin = opens && rc == DB_UNAVAILABLE;
    if (guard_at)
        rc = guard_read(c, res, guard_at, failed, rc);
    for (size_t i = 0; i < k; i++)
        if (i >= first && rc == DB_OK)
            out[i - first] = res[i];
        else
            PQclear(res[i]);
    return rc;
}

static PGresult *exec_once(struct db_conn *c, const struct db_stmt *s, const char *const *params,
                           enum db_rc *rc)
{
    PGresult *res;
    *rc = exec_many(c, 1, &s, &params, &res);
    return res;
}

enum db_rc db_exec_many(struct db_conn *c, size_t n, const struct db_stmt *const *s,
                        const char *const *const *params, PGresult **out)
{
    return exec_many(c, n, s, params, out);
}

PGresult *db_exec(struct db_conn *c, const struct db_stmt *s, const char *const *params,
                  enum db_rc *rc)
{
    return exec_once(c, s, params, rc);
}

PGresult *db_exec_ro(struct db_conn *c, const struct db_stmt *s, const char *const *params,
                     enum db_rc *rc)
{
    PGresult *res = exec_once(c, s, params, rc);
    if (!res && *rc == DB_UNAVAILABLE && !c->in_txn && conn_ensure_ready(c))
        res = exec_once(c, s, params, rc);
    return res;
}

enum db_rc db_exec_deferred(struct db_conn *c, const struct db_stmt *s, const char *const *params)
{
    if (!c->in_txn) {
        enum db_rc rc;
        PQclear(db_exec(c, s, params, &rc));
        return rc;
    }
    if (c->nq == c->capq) {
        size_t cap = c->capq ? 2 * c->capq : 4;
        struct deferred *q = realloc(c->q, cap * sizeof *q);
        if (!q)
            return DB_HARD;
        c->q = q;
        c->capq = cap;
    }
    if (!params_copy(&c->q[c->nq], s, params))
        return DB_HARD;
    c->nq++;
    return DB_OK;
}

enum db_rc db_txn_guard(struct db_conn *c, const struct db_stmt *s, const char *const *params)
{
    if (!c->in_txn || !c->begin_pending || c->guard_state != DB_GUARD_NONE) {
        log_bug("db_txn_guard outside a transaction's start", NULL);
        return DB_HARD;
    }
    if (!params_copy(&c->guard, s, params))
        return DB_HARD;
    c->guard_state = DB_GUARD_PENDING;
    return DB_OK;
}

enum db_guard db_txn_guard_state(const struct db_conn *c)
{
    return c->guard_state;
}

/* The end of a transaction: the deferred writes and COMMIT (or ROLLBACK) in one round trip,
 * with BEGIN in front when no statement has carried it yet; nothing at all when the body sent
 * nothing. */
static enum db_rc txn_end(struct db_conn *c, const char *end)
{
    if (c->guard_state == DB_GUARD_EMPTY)
        return DB_GUARDED;
    if (c->begin_pending && c->nq == 0) {
        c->begin_pending = false;
        return DB_OK;
    }
    if (c->begin_pending && c->guard_state == DB_GUARD_PENDING) {
        /* a body that wrote only what travels with COMMIT: its guard is asked first, so that
         * nothing of it can commit past an empty guard */
        enum db_rc rc = exec_many(c, 0, NULL, NULL, NULL);
        if (rc != DB_OK)
            return rc;
    }
    size_t n = c->nq + 1 + (c->begin_pending ? 1 : 0), k = 0;
    struct piece *p = calloc(n, sizeof *p);
    if (!p)
        return DB_HARD;
    if (c->begin_pending)
        p[k++] = (struct piece){.sql = "BEGIN"};
    for (size_t i = 0; i < c->nq; i++)
        p[k++] = (struct piece){.s = c->q[i].s, .params = (const char *const *)c->q[i].params};
    p[k] = (struct piece){.sql = end};
    c->begin_pending = false;
    size_t failed;
    enum db_rc rc = pipeline(c, p, n, NULL, &failed);
    free(p);
    deferred_clear(c);
    return rc;
}

/* A plain command on the connection (BEGIN, COMMIT, ROLLBACK). */
static enum db_rc command(struct db_conn *c, const char *sql)
{
    if (!c->ready)
        return DB_UNAVAILABLE;
    conn_count(CONN_ROUND_TRIP);
    PGresult *res = PQexec(c->pg, sql);
    enum db_rc rc = PQresultStatus(res) == PGRES_COMMAND_OK ? DB_OK : db_classify(c, res);
    PQclear(res);
    return rc;
}

static void backoff(int attempt)
{
    /* 1, 2, 4, 8 ms ceilings, full jitter */
    unsigned ceiling_us = 1000u << (attempt < 4 ? attempt : 4);
    struct timespec ts = {0, (long)randombytes_uniform(ceiling_us) * 1000L};
    nanosleep(&ts, NULL);
}

static enum db_rc txn_run(struct db_conn *c, db_txn_body body, void *cls, bool commit);

enum db_rc db_txn(struct db_conn *c, db_txn_body body, void *cls)
{
    return txn_run(c, body, cls, true);
}

enum db_rc db_txn_dry(struct db_conn *c, db_txn_body body, void *cls)
{
    return txn_run(c, body, cls, false);
}

static enum db_rc txn_run(struct db_conn *c, db_txn_body body, void *cls, bool commit)
{
    bool reconnected = false;
    for (int attempt = 0; attempt < DB_TXN_MAX_TRIES; attempt++) {
        if (attempt > 0) {
            conn_count(CONN_RETRY);
            backoff(attempt);
        }
        if (!c->ready && !conn_ensure_ready(c))
            return DB_UNAVAILABLE;
        /* BEGIN goes with the body's first statement, the deferred writes with COMMIT */
        deferred_clear(c);
        guard_clear(c);
        c->in_txn = c->begin_pending = true;
        c->died_in_begin = false;
        enum db_rc rc = body(c, cls);
        if (rc == DB_OK)
            rc = txn_end(c, commit ? "COMMIT" : "ROLLBACK");
        if (c->guard_state == DB_GUARD_EMPTY)
            rc = DB_GUARDED; /* whatever the body made of it */
        deferred_clear(c);
        params_free(&c->guard); /* its state stays readable until the next transaction */
        c->begin_pending = false;
        if (rc != DB_OK && c->ready && PQtransactionStatus(c->pg) != PQTRANS_IDLE)
            command(c, "ROLLBACK");
        c->in_txn = false;
        /* died while idle: the round trip that broke was the first, nothing had run; once */
        if (rc == DB_UNAVAILABLE && c->died_in_begin && !reconnected && conn_ensure_ready(c)) {
            reconnected = true;
            attempt--;
            continue;
        }
        if (rc != DB_SOFT)
            return rc;
    }
    conn_count(CONN_EXHAUSTED);
    return DB_CONTENTION;
}

PGresult *db_exec_row(struct db_conn *c, const struct db_stmt *s, const char *const *params,
                      bool read_only, enum db_rc *rc)
{
    PGresult *res = read_only ? db_exec_ro(c, s, params, rc) : db_exec(c, s, params, rc);
    if (res && PQntuples(res) != 1) {
        PQclear(res);
        *rc = DB_NOT_FOUND;
        return NULL;
    }
    return res;
}
