/* Connections lent to threads: (re)connect, prepare, classify errors, count (the statements and
 * transactions on it: txn.c).  A thread holds one from its first db_thread_conn until it gives it
 * back or exits; the ones given back wait, open, for the next thread (the server's threads are
 * one per HTTP connection, and give theirs back after each request). */
#include "conn.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

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

void conn_count(enum conn_counter which)
{
    _Atomic unsigned long long *const counters[] = {[CONN_ROUND_TRIP] = &n_round_trips,
                                                    [CONN_RETRY] = &n_retries,
                                                    [CONN_EXHAUSTED] = &n_exhausted};
    count(counters[which], 1);
}

void conn_disconnect(struct db_conn *c)
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

/* The connections given back (idle, each open or not) and how many exist in all. */
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_freed = PTHREAD_COND_INITIALIZER;
static struct db_conn **idle;
static size_t n_idle, cap_idle, n_lent_or_idle;

static void conn_free(struct db_conn *c)
{
    conn_disconnect(c);
    conn_txn_free(c);
    for (size_t i = 0; i < DB_KEEP_COUNT; i++)
        free(c->kept[i]);
    free(c);
}

void *db_conn_keep(struct db_conn *c, enum db_keep use, size_t size)
{
    if (!c->kept[use])
        c->kept[use] = calloc(1, size);
    return c->kept[use];
}

/* c back among the idle ones (closed first when a transaction was left open on it). */
static void give_back(struct db_conn *c)
{
    if (c->in_txn)
        conn_disconnect(c);
    pthread_mutex_lock(&pool_lock);
    if (n_idle == cap_idle) {
        size_t cap = cap_idle ? cap_idle * 2 : 16;
        struct db_conn **more = realloc(idle, cap * sizeof *more);
        if (!more) {
            n_lent_or_idle--;
            pthread_mutex_unlock(&pool_lock);
            conn_free(c);
            pthread_cond_signal(&pool_freed);
            return;
        }
        idle = more;
        cap_idle = cap;
    }
    idle[n_idle++] = c;
    pthread_mutex_unlock(&pool_lock);
    pthread_cond_signal(&pool_freed);
}

static void conn_destroy(void *p)
{
    give_back(p);
}

/* An idle connection, a new one while fewer than pool_max exist, or NULL after pool_wait_ms. */
static struct db_conn *take(void)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    long long ns = until.tv_nsec + (long long)config.pool_wait_ms * 1000000LL;
    until.tv_sec += (time_t)(ns / 1000000000LL);
    until.tv_nsec = (long)(ns % 1000000000LL);
    pthread_mutex_lock(&pool_lock);
    while (n_idle == 0 && config.pool_max > 0 && n_lent_or_idle >= (size_t)config.pool_max)
        if (pthread_cond_timedwait(&pool_freed, &pool_lock, &until) != 0 && n_idle == 0) {
            pthread_mutex_unlock(&pool_lock);
            return NULL;
        }
    struct db_conn *c = NULL;
    if (n_idle)
        c = idle[--n_idle];
    else if ((c = calloc(1, sizeof *c)))
        n_lent_or_idle++;
    pthread_mutex_unlock(&pool_lock);
    return c;
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

/*
 * Prepares every statement on a new connection, so that a statement the schema does not accept
 * stops the start, not a request.  The plan_each ones are prepared for that check too, though
 * they are then sent by their text (db.h).
 */
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
    if (!c && (c = take()))
        pthread_setspecific(conn_key, c);
    return c;
}

bool conn_ensure_ready(struct db_conn *c)
{
    if (c->ready && PQstatus(c->pg) == CONNECTION_OK)
        return true;
    conn_disconnect(c);
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
    return c && conn_ensure_ready(c) ? c : NULL;
}

void db_thread_release(void)
{
    pthread_once(&key_once, make_key);
    struct db_conn *c = pthread_getspecific(conn_key);
    if (!c)
        return;
    pthread_setspecific(conn_key, NULL);
    give_back(c);
}

void db_thread_close(void)
{
    pthread_once(&key_once, make_key);
    struct db_conn *c = pthread_getspecific(conn_key);
    if (!c)
        return;
    conn_disconnect(c);
    pthread_setspecific(conn_key, NULL);
    give_back(c);
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
        conn_disconnect(c);
        return DB_UNAVAILABLE;
    }
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    /* No SQLSTATE: the error came from libpq, not the server (the server closed the connection
     * or never answered), even when PQstatus has not noticed yet. */
    if (!state) {
        conn_disconnect(c);
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
        conn_disconnect(c);
        return DB_UNAVAILABLE;
    }
    count(&n_errors, 1);
    log_pg_error("database error", res, c->pg);
    return DB_HARD;
}
