#ifndef SD_DB_H
#define SD_DB_H

/*
 * Data access.  Each worker thread owns one PostgreSQL connection, made on first use, with every
 * statement of db_statements[] prepared once; a lost connection is re-established on a later
 * call (with a short back-off, so an outage costs requests a 503, not a wait).  Nothing here
 * decides policy: that is the rule module's job.
 */

#include <stdbool.h>
#include <stdio.h>

struct db_config {
    const char *conninfo;     /* libpq connection string or URI */
    int connect_timeout_s;    /* libpq connect_timeout */
    int statement_timeout_ms; /* per statement, set on the session */
    int lock_timeout_ms;      /* per lock wait, set on the session */
    int reconnect_backoff_ms; /* no new attempt sooner than this after a failed one */
    /* At most this many connections at once in all threads (0: no bound, one for each thread
     * that asks); a thread asking beyond it waits up to pool_wait_ms for one given back. */
    int pool_max;
    int pool_wait_ms;
};

/* Outcome of a statement or a transaction. */
enum db_rc {
    DB_OK = 0,
    DB_NOT_FOUND,   /* set by operations that expected a row and got none */
    DB_ABORT,       /* the transaction body decided to roll back; its reply is its own */
    DB_SOFT,        /* serialization failure or deadlock: the transaction helper retries */
    DB_CONTENTION,  /* retries exhausted */
    DB_UNIQUE,      /* unique violation (23505) */
    DB_TIMEOUT,     /* statement_timeout or lock_timeout fired (57014, 55P03) */
    DB_UNAVAILABLE, /* no connection, or it broke */
    DB_HARD,        /* anything else: our bug or a schema mismatch */
    DB_GUARDED,     /* the transaction's guard (db_txn_guard) gave no row: rolled back */
};

/*
 * A prepared statement: one per database operation, defined beside the C that runs it.
 *
 * plan_each: planned for its parameters at every run, never by a generic plan (sent unnamed, with
 * its text).  For the filter statements of the review queues, whose filters are `$n = '' OR …`:
 * a generic plan cannot know which filters are off, so it cannot use the partial index a region's
 * waiting claims have and scans the whole table (with 200,000 claims: 626 ms against 28 ms; the
 * server picks the generic plan after the fifth run of a named statement).
 */
struct db_stmt {
    const char *name;
    const char *sql;
    int nparams;
    bool plan_each;
};

struct db_conn;

/* Set the connection parameters once, before any thread asks for a connection. */
void db_configure(const struct db_config *cfg);

/*
 * This thread's connection, ready to use, or NULL while the database is unreachable (or, with
 * pool_max, when none was given back within pool_wait_ms).  The thread keeps it until it gives
 * it back (db_thread_release) or exits; then it serves the next thread that asks, still open.
 */
struct db_conn *db_thread_conn(void);

/*
 * A zeroed block of size bytes that stays with connection c (not with the thread that holds it)
 * until the connection is freed: what a layer above keeps per connection, such as the working-day
 * calendar (src/flow/calendar.c); one block for each use, the first call's size.  NULL when out
 * of memory.
 */
enum db_keep { DB_KEEP_CALENDAR, DB_KEEP_COUNT };
void *db_conn_keep(struct db_conn *c, enum db_keep use, size_t size);

/* Give this thread's connection back for another thread (the server: after each request). */
void db_thread_release(void);

/* Close this thread's connection now and give its place back (the CLI, tests, workers). */
void db_thread_close(void);

/*
 * A write whose result nothing but COMMIT needs (an audit row, the stored idempotent reply):
 * inside db_txn it is queued (parameters copied) and sent in one round trip with the COMMIT;
 * its failure fails the COMMIT, so the transaction is rolled back (or retried on 40001/40P01)
 * and nothing is acknowledged.  Outside a transaction it runs at once.
 */
enum db_rc db_exec_deferred(struct db_conn *c, const struct db_stmt *s, const char *const *params);

typedef enum db_rc (*db_txn_body)(struct db_conn *c, void *cls);

/*
 * A guard for the transaction being opened (call it first in a db_txn body): a statement that
 * must give a row for the body's work to count, such as taking an Idempotency-Key.  It travels
 * in the round trip of BEGIN and the body's first statement instead of one of its own.  When it
 * gives no row, that statement's result and every later one answer DB_GUARDED, and db_txn
 * rolls back and returns DB_GUARDED whatever the body returned.  Parameters are copied.
 */
enum db_rc db_txn_guard(struct db_conn *c, const struct db_stmt *s, const char *const *params);
enum db_guard {
    DB_GUARD_NONE,    /* none armed */
    DB_GUARD_PENDING, /* armed, not sent yet (or its round trip broke before it ran) */
    DB_GUARD_PASSED,  /* it gave a row */
    DB_GUARD_EMPTY,   /* it gave none */
    DB_GUARD_FAILED,  /* it failed itself (a lock or statement timeout while it waited) */
};
/* What the guard of c's current (or last) transaction did. */
enum db_guard db_txn_guard_state(const struct db_conn *c);

/*
 * BEGIN, body, COMMIT.  BEGIN is sent with the body's first statement and the deferred writes
 * with COMMIT (libpq pipeline mode: one round trip each).  A body returning DB_SOFT (or a COMMIT
 * or deferred write failing with 40001/40P01) is rolled
 * back and run again, at most DB_TXN_MAX_TRIES times in all, with jittered back-off; every
 * retry is counted in the metrics.  Any other non-OK return rolls back and is returned as is.
 * Bodies must be safe to run more than once.  Returns DB_OK once committed.
 */
#define DB_TXN_MAX_TRIES 5
enum db_rc db_txn(struct db_conn *c, db_txn_body body, void *cls);
/* The same, but rolled back where db_txn commits: a dry run of body that writes nothing. */
enum db_rc db_txn_dry(struct db_conn *c, db_txn_body body, void *cls);

/* The constraint named by the last DB_UNIQUE outcome on c ("" when none was named). */
const char *db_last_constraint(const struct db_conn *c);

/*
 * Link at most max_rows committed audit rows into their chains (sql/0015: rows are inserted
 * unchained); *chained gets how many (0 also when another caller is at it).  Run outside a
 * transaction, by the daemon's background step and by the verifier.
 */
enum db_rc db_audit_chain(struct db_conn *c, int max_rows, int *chained);

/* Counters shown on /metrics; updated with relaxed atomics. */
struct db_counters {
    unsigned long long connects;      /* successful (re)connections */
    unsigned long long connect_fails; /* failed attempts */
    unsigned long long open;          /* connections open now */
    unsigned long long txn_retries;   /* transactions run again after 40001/40P01 */
    unsigned long long txn_exhausted; /* transactions that gave up */
    unsigned long long timeouts;      /* statement or lock timeouts */
    unsigned long long errors;        /* hard errors */
    unsigned long long round_trips;   /* waits for the server's answer (statements, BEGIN/COMMIT) */
};
void db_counters_read(struct db_counters *out);

/* Every prepared statement of the service (src/db/statements.c). */
extern const struct db_stmt *const db_statements[];

#endif
