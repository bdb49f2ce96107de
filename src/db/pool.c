/* One connection per worker thread; (re)connect, prepare, classify errors, transactions. */
#include "db.h"
#include "db_exec.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

/* A write whose result only COMMIT needs (db_exec_deferred): its statement and copied
 * parameters, sent in one pipeline with the COMMIT. */
struct deferred {
    const struct db_stmt *s;
    char **params;
};

struct db_conn {
    PGconn *pg;
    bool ready;            /* connected and prepared */
    long long next_try_ns; /* back-off after a failed attempt */
    bool in_txn;
    bool begin_pending; /* in a transaction whose BEGIN goes with its first statement */
    bool died_in_begin; /* the connection broke in the round trip that carried BEGIN */
    struct deferred *q; /* the writes that travel with COMMIT */
    size_t nq, capq;
    char last_constraint[64]; /* of the last unique violation */
};

static struct db_config config;
static pthread_key_t conn_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static _Atomic unsigned long long n_connects, n_connect_fails, n_open, n_retries, n_exhausted,
    n_timeouts, n_errors, n_round_trips;

void db_counters_read(struct db_counters *out)
{
    out->connects = atomic_load_explicit(&n_connects, memory_order_relaxed);
    out->connect_fails = atomic_load_explicit(&n_connect_fails, memory_order_relaxed);
    out->open = atomic_load_explicit(&n_open, memory_order_relaxed);
    out->txn_retries = atomic_load_explicit(&n_retries, memory_order_relaxed);
    out->txn_exhausted = atomic_load_explicit(&n_exhausted, memory_order_relaxed);
    out->timeouts = atomic_load_explicit(&n_timeouts, memory_order_relaxed);
    out->errors = atomic_load_explicit(&n_errors, memory_order_relaxed);
    out->round_trips = atomic_load_explicit(&n_round_trips, memory_order_relaxed);
}

static void count(_Atomic unsigned long long *c, long long delta)
{
    atomic_fetch_add_explicit(c, (unsigned long long)delta, memory_order_relaxed);
}

static void disconnect(struct db_conn *c)
{
    if (c->pg) {
        PQfinish(c->pg);
        c->pg = NULL;
        if (c->ready)
            count(&n_open, -1);
    }
    c->ready = false;
    c->in_txn = false;
}

static void deferred_clear(struct db_conn *c)
{
    for (size_t i = 0; i < c->nq; i++) {
        for (int k = 0; k < c->q[i].s->nparams; k++)
            free(c->q[i].params[k]);
        free(c->q[i].params);
    }
    c->nq = 0;
}

static void conn_destroy(void *p)
{
    struct db_conn *c = p;
    disconnect(c);
    deferred_clear(c);
    free(c->q);
    free(c);
}

static void make_key(void)
{
    pthread_key_create(&conn_key, conn_destroy);
}

void db_configure(const struct db_config *cfg)
{
    config = *cfg;
    pthread_once(&key_once, make_key);
}

/* Server messages never carry request data here (all values are parameters), so they can be
 * logged; the detail field can, so it is left out. */
static void log_pg_error(const char *what, const PGresult *res, PGconn *pg)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!msg && pg)
        msg = PQerrorMessage(pg);
    log_warn(what, json_pack("{s:s?, s:s?}", "sqlstate", state, "error", msg));
}

/* libpq hands the server's notices and warnings (and the FATAL a backend sends to an idle
 * connection when PostgreSQL shuts down) to a notice receiver; its default prints them raw on
 * stderr, which would break the one-JSON-object-per-line log.  Same fields as log_pg_error. */
static void on_notice(void *arg, const PGresult *res)
{
    (void)arg;
    const char *severity = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
    if (!severity)
        severity = PQresultErrorField(res, PG_DIAG_SEVERITY);
    log_warn("database notice", json_pack("{s:s?, s:s?, s:s?}", "severity", severity, "sqlstate",
                                          PQresultErrorField(res, PG_DIAG_SQLSTATE), "error",
                                          PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)));
}

static bool prepare_all(struct db_conn *c)
{
    for (size_t i = 0; db_statements[i]; i++) {
        const struct db_stmt *s = db_statements[i];
        PGresult *res = PQprepare(c->pg, s->name, s->sql, s->nparams, NULL);
        bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
        if (!ok) {
            log_pg_error("prepare failed", res, c->pg);
            log_bug("statement", json_pack("{s:s}", "name", s->name));
        }
        PQclear(res);
        if (!ok)
            return false;
    }
    return true;
}

static bool connect_now(struct db_conn *c)
{
    char timeout[16], options[128];
    snprintf(timeout, sizeof timeout, "%d", config.connect_timeout_s);
    snprintf(options, sizeof options, "-c statement_timeout=%d -c lock_timeout=%d",
             config.statement_timeout_ms, config.lock_timeout_ms);
    /* keepalives and tcp_user_timeout: a silent network partition fails in seconds, not never */
    const char *keys[] = {"dbname",
                          "connect_timeout",
                          "options",
                          "application_name",
                          "keepalives",
                          "keepalives_idle",
                          "keepalives_interval",
                          "keepalives_count",
                          "tcp_user_timeout",
                          NULL};
    const char *vals[] = {config.conninfo, timeout, options, "subsidyd", "1", "5", "1", "3",
                          "5000",          NULL};
    c->pg = PQconnectdbParams(keys, vals, 1);
    if (c->pg)
        PQsetNoticeReceiver(c->pg, on_notice, NULL);
    if (PQstatus(c->pg) != CONNECTION_OK) {
        log_warn("database connect failed", json_pack("{s:s}", "error", PQerrorMessage(c->pg)));
        PQfinish(c->pg);
        c->pg = NULL;
        return false;
    }
    if (!prepare_all(c)) {
        PQfinish(c->pg);
        c->pg = NULL;
        return false;
    }
    c->ready = true;
    count(&n_open, 1);
    count(&n_connects, 1);
    return true;
}

static struct db_conn *thread_slot(void)
{
    pthread_once(&key_once, make_key);
    struct db_conn *c = pthread_getspecific(conn_key);
    if (!c) {
        c = calloc(1, sizeof *c);
        if (!c)
            return NULL;
        pthread_setspecific(conn_key, c);
    }
    return c;
}

static bool ensure_ready(struct db_conn *c)
{
    if (c->ready && PQstatus(c->pg) == CONNECTION_OK)
        return true;
    disconnect(c);
    long long now = mono_ns();
    if (now < c->next_try_ns)
        return false;
    if (connect_now(c))
        return true;
    count(&n_connect_fails, 1);
    c->next_try_ns = now + (long long)config.reconnect_backoff_ms * 1000000LL;
    return false;
}

struct db_conn *db_thread_conn(void)
{
    struct db_conn *c = thread_slot();
    return c && ensure_ready(c) ? c : NULL;
}

void db_thread_close(void)
{
    struct db_conn *c = thread_slot();
    if (c)
        disconnect(c);
}

const char *db_last_constraint(const struct db_conn *c)
{
    return c->last_constraint;
}

PGconn *db_pg(struct db_conn *c)
{
    return c->pg;
}

static bool state_is(const char *state, const char *code)
{
    return state && strcmp(state, code) == 0;
}

enum db_rc db_classify(struct db_conn *c, const PGresult *res)
{
    if (PQstatus(c->pg) != CONNECTION_OK) {
        disconnect(c);
        return DB_UNAVAILABLE;
    }
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    /* No SQLSTATE: the error came from libpq, not the server (the server closed the connection
     * or never answered), even when PQstatus has not noticed yet. */
    if (!state) {
        disconnect(c);
        return DB_UNAVAILABLE;
    }
    if (state_is(state, "40001") || state_is(state, "40P01"))
        return DB_SOFT;
    if (state_is(state, "23505")) {
        const char *name = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
        snprintf(c->last_constraint, sizeof c->last_constraint, "%s", name ? name : "");
        return DB_UNIQUE;
    }
    if (state_is(state, "57014") || state_is(state, "55P03")) {
        count(&n_timeouts, 1);
        return DB_TIMEOUT;
    }
    /* 08xxx connection exceptions, 57P0x admin shutdown / cannot connect now, 53xxx resources */
    if (state && (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0 ||
                  strncmp(state, "53", 2) == 0)) {
        disconnect(c);
        return DB_UNAVAILABLE;
    }
    count(&n_errors, 1);
    log_pg_error("database error", res, c->pg);
    return DB_HARD;
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
 * Returns the result of piece `keep` (the caller PQclear()s it) when every piece succeeded, else
 * NULL with *rc set from the first failure (the server skips what follows it up to the sync;
 * a transaction it was in is then aborted) and *failed at its index.
 */
static PGresult *pipeline(struct db_conn *c, const struct piece *p, size_t n, size_t keep,
                          enum db_rc *rc, size_t *failed)
{
    *failed = n;
    if (!c->ready) {
        *rc = DB_UNAVAILABLE;
        *failed = 0;
        return NULL;
    }
    count(&n_round_trips, 1);
    bool sent = PQenterPipelineMode(c->pg) == 1;
    for (size_t i = 0; sent && i < n; i++)
        sent = p[i].s ? PQsendQueryPrepared(c->pg, p[i].s->name, p[i].s->nparams, p[i].params, NULL,
                                            NULL, 0) == 1
                      : PQsendQueryParams(c->pg, p[i].sql, 0, NULL, NULL, NULL, NULL, 0) == 1;
    if (!sent || PQpipelineSync(c->pg) != 1) {
        *rc = db_classify(c, NULL); /* libpq could not send: the connection is gone */
        *failed = 0;
        return NULL;
    }
    PGresult *kept = NULL;
    *rc = DB_OK;
    for (size_t i = 0; i < n; i++) {
        PGresult *res = PQgetResult(c->pg);
        if (!res) { /* the connection broke before this piece's answer */
            *rc = db_classify(c, NULL);
            if (*failed == n)
                *failed = i;
            break;
        }
        if (*failed == n && !ok_status(res)) {
            *rc = db_classify(c, res);
            *failed = i;
        }
        if (i == keep && *failed == n)
            kept = res;
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
            disconnect(c);
            *rc = DB_UNAVAILABLE;
        }
    }
    if (*rc != DB_OK) {
        PQclear(kept);
        return NULL;
    }
    return kept;
}

static PGresult *exec_once(struct db_conn *c, const struct db_stmt *s, const char *const *params,
                           enum db_rc *rc)
{
    if (!c->ready) {
        *rc = DB_UNAVAILABLE;
        return NULL;
    }
    if (c->begin_pending) { /* BEGIN travels with the transaction's first statement */
        const struct piece p[] = {{.sql = "BEGIN"}, {.s = s, .params = params}};
        size_t failed;
        c->begin_pending = false;
        PGresult *res = pipeline(c, p, 2, 1, rc, &failed);
        c->died_in_begin = !res && *rc == DB_UNAVAILABLE;
        return res;
    }
    count(&n_round_trips, 1);
    PGresult *res = PQexecPrepared(c->pg, s->name, s->nparams, params, NULL, NULL, 0);
    if (ok_status(res)) {
        *rc = DB_OK;
        return res;
    }
    *rc = db_classify(c, res);
    PQclear(res);
    return NULL;
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
    if (!res && *rc == DB_UNAVAILABLE && !c->in_txn && ensure_ready(c))
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
    char **copy = calloc((size_t)s->nparams + 1, sizeof *copy);
    if (!copy)
        return DB_HARD;
    for (int k = 0; k < s->nparams; k++)
        if (params[k] && !(copy[k] = strdup(params[k]))) {
            for (int j = 0; j < k; j++)
                free(copy[j]);
            free(copy);
            return DB_HARD;
        }
    c->q[c->nq++] = (struct deferred){s, copy};
    return DB_OK;
}

/* The end of a transaction: the deferred writes and COMMIT (or ROLLBACK) in one round trip,
 * with BEGIN in front when no statement has carried it yet; nothing at all when the body sent
 * nothing. */
static enum db_rc txn_end(struct db_conn *c, const char *end)
{
    if (c->begin_pending && c->nq == 0) {
        c->begin_pending = false;
        return DB_OK;
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
    enum db_rc rc;
    size_t failed;
    PQclear(pipeline(c, p, n, n, &rc, &failed));
    free(p);
    deferred_clear(c);
    return rc;
}

/* A plain command on the connection (BEGIN, COMMIT, ROLLBACK). */
static enum db_rc command(struct db_conn *c, const char *sql)
{
    if (!c->ready)
        return DB_UNAVAILABLE;
    count(&n_round_trips, 1);
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
            count(&n_retries, 1);
            backoff(attempt);
        }
        if (!c->ready && !ensure_ready(c))
            return DB_UNAVAILABLE;
        /* BEGIN goes with the body's first statement, the deferred writes with COMMIT */
        deferred_clear(c);
        c->in_txn = c->begin_pending = true;
        c->died_in_begin = false;
        enum db_rc rc = body(c, cls);
        if (rc == DB_OK)
            rc = txn_end(c, commit ? "COMMIT" : "ROLLBACK");
        deferred_clear(c);
        c->begin_pending = false;
        if (rc != DB_OK && c->ready && PQtransactionStatus(c->pg) != PQTRANS_IDLE)
            command(c, "ROLLBACK");
        c->in_txn = false;
        /* died while idle: the round trip that broke was the first, nothing had run; once */
        if (rc == DB_UNAVAILABLE && c->died_in_begin && !reconnected && ensure_ready(c)) {
            reconnected = true;
            attempt--;
            continue;
        }
        if (rc != DB_SOFT)
            return rc;
    }
    count(&n_exhausted, 1);
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
