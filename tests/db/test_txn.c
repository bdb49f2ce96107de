/* DB tier: the transaction helper against a real PostgreSQL.  A real deadlock (40P01) between two
 * workers is retried and both commit; a body that aborts leaves nothing behind; errors are
 * classified as the handlers expect; a statement timeout leaves the connection usable; a
 * plan_each statement is never run by its prepared statement. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db_exec.h"
#include "harness.h"

static struct th_pg pg;

/* The statements these tests use: tables made by the test itself, in the schema of the
 * service's role. */
static const struct db_stmt bump = {"t_bump", "UPDATE t_counter SET n = n + 1 WHERE id = $1::int",
                                    1};
static const struct db_stmt insert = {"t_insert", "INSERT INTO t_unique (k) VALUES ($1)", 1};
static const struct db_stmt slow = {"t_slow", "SELECT pg_sleep($1::float8)", 1};
/* a guard as the Idempotency-Key's: take a key, give a row only when it was free */
static const struct db_stmt take = {
    "t_take", "INSERT INTO t_key (k) VALUES ($1) ON CONFLICT DO NOTHING RETURNING 1", 1};
/* a filter statement of the queues' kind, sent by its text (plan_each) or by its name; and how
 * often this connection ran a prepared statement (the server counts each plan it made) */
#define FILTER_SQL "SELECT count(*) FROM t_counter WHERE $1 = '' OR id = nullif($1, '')::int"
static const struct db_stmt each = {"t_each", FILTER_SQL, 1, .plan_each = true};
static const struct db_stmt named = {"t_named", FILTER_SQL, 1};
static const struct db_stmt plans = {
    "t_plans", "SELECT generic_plans + custom_plans FROM pg_prepared_statements WHERE name = $1",
    1};
const struct db_stmt *const db_statements[] = {&bump, &insert, &slow,  &take,
                                               &each, &named,  &plans, NULL};

static void configure(int statement_timeout_ms)
{
    struct db_config cfg = {pg.app_conninfo, 3, statement_timeout_ms, 10000, 50};
    db_configure(&cfg);
}

struct order {
    int first, second;
    pthread_barrier_t *meet;
    enum db_rc rc;
    int attempts;
};

/* Lock one row, wait for the other worker to lock its row, then take the other's: the second
 * lock deadlocks on the first try; PostgreSQL aborts one of the two, which db_txn retries. */
static enum db_rc cross_body(struct db_conn *c, void *cls)
{
    struct order *o = cls;
    char a[8], b[8];
    snprintf(a, sizeof a, "%d", o->first);
    snprintf(b, sizeof b, "%d", o->second);
    const char *pa[] = {a}, *pb[] = {b};
    enum db_rc rc;
    PGresult *res = db_exec(c, &bump, pa, &rc);
    if (!res)
        return rc;
    PQclear(res);
    if (o->attempts++ == 0)
        pthread_barrier_wait(o->meet);
    res = db_exec(c, &bump, pb, &rc);
    if (!res)
        return rc;
    PQclear(res);
    return DB_OK;
}

static void *cross_worker(void *cls)
{
    struct order *o = cls;
    struct db_conn *c = db_thread_conn();
    o->rc = c ? db_txn(c, cross_body, o) : DB_UNAVAILABLE;
    db_thread_close();
    return NULL;
}

START_TEST(deadlock_is_retried_and_both_commit)
{
    configure(5000);
    struct db_counters before, after;
    db_counters_read(&before);
    pthread_barrier_t meet;
    pthread_barrier_init(&meet, NULL, 2);
    struct order o1 = {1, 2, &meet, DB_HARD, 0}, o2 = {2, 1, &meet, DB_HARD, 0};
    pthread_t t1, t2;
    pthread_create(&t1, NULL, cross_worker, &o1);
    pthread_create(&t2, NULL, cross_worker, &o2);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    pthread_barrier_destroy(&meet);
    db_counters_read(&after);
    ck_assert_int_eq(o1.rc, DB_OK);
    ck_assert_int_eq(o2.rc, DB_OK);
    /* at least one ran again (the deadlock's victim); on a slow machine (sanitizers) a retry
     * may meet the other transaction once more.  Every extra run is a counted retry. */
    const int runs = o1.attempts + o2.attempts;
    if (runs > 3)
        fprintf(stderr, "deadlock test: %d and %d runs\n", o1.attempts, o2.attempts);
    ck_assert_int_ge(runs, 3);
    ck_assert_int_eq(after.txn_retries - before.txn_retries, runs - 2);
    char *sum = th_sql(&pg, "SELECT sum(n) FROM t_counter");
    ck_assert_str_eq(sum, "4"); /* each committed both updates, once */
    free(sum);
}
END_TEST

static enum db_rc insert_then_abort(struct db_conn *c, void *cls)
{
    const char *p[] = {"aborted"};
    enum db_rc rc;
    PGresult *res = db_exec(c, &insert, p, &rc);
    if (!res)
        return rc;
    PQclear(res);
    return DB_ABORT;
}

static enum db_rc insert_twice(struct db_conn *c, void *cls)
{
    const char *p[] = {"twice"};
    enum db_rc rc;
    for (int i = 0; i < 2; i++) {
        PGresult *res = db_exec(c, &insert, p, &rc);
        if (!res)
            return rc;
        PQclear(res);
    }
    return DB_OK;
}

START_TEST(abort_and_unique_roll_back)
{
    configure(5000);
    struct db_conn *c = db_thread_conn();
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(db_txn(c, insert_then_abort, NULL), DB_ABORT);
    ck_assert_int_eq(db_txn(c, insert_twice, NULL), DB_UNIQUE);
    char *n = th_sql(&pg, "SELECT count(*) FROM t_unique");
    ck_assert_str_eq(n, "0");
    free(n);
    db_thread_close();
}
END_TEST

/* One write now, one deferred to the COMMIT (db_exec_deferred); with `dupe` the deferred one
 * repeats the first key, so that the COMMIT's round trip fails. */
static enum db_rc insert_then_defer(struct db_conn *c, void *cls)
{
    const bool *dupe = cls;
    const char *now[] = {"first"}, *later[] = {*dupe ? "first" : "later"};
    enum db_rc rc;
    PGresult *res = db_exec(c, &insert, now, &rc);
    if (!res)
        return rc;
    PQclear(res);
    return db_exec_deferred(c, &insert, later);
}

static enum db_rc send_nothing(struct db_conn *c, void *cls)
{
    (void)c;
    (void)cls;
    return DB_OK;
}

START_TEST(deferred_writes_travel_with_commit)
{
    configure(5000);
    struct db_conn *c = db_thread_conn();
    ck_assert_ptr_nonnull(c);
    struct db_counters before, after;
    /* a failing deferred write fails the transaction: nothing of it is kept */
    bool dupe = true;
    ck_assert_int_eq(db_txn(c, insert_then_defer, &dupe), DB_UNIQUE);
    char *n = th_sql(&pg, "SELECT count(*) FROM t_unique");
    ck_assert_str_eq(n, "0");
    free(n);
    /* BEGIN with the first statement, the deferred write with COMMIT: two round trips */
    dupe = false;
    db_counters_read(&before);
    ck_assert_int_eq(db_txn(c, insert_then_defer, &dupe), DB_OK);
    db_counters_read(&after);
    ck_assert_int_eq(after.round_trips - before.round_trips, 2);
    n = th_sql(&pg, "SELECT string_agg(k, ',' ORDER BY k) FROM t_unique");
    ck_assert_str_eq(n, "first,later");
    free(n);
    /* a body that sends nothing costs nothing; a dry run's deferred write is still checked */
    db_counters_read(&before);
    ck_assert_int_eq(db_txn(c, send_nothing, NULL), DB_OK);
    db_counters_read(&after);
    ck_assert_int_eq(after.round_trips - before.round_trips, 0);
    free(th_sql(&pg, "DELETE FROM t_unique"));
    dupe = true;
    ck_assert_int_eq(db_txn_dry(c, insert_then_defer, &dupe), DB_UNIQUE);
    /* the connection is usable after all of it, and a dry run kept nothing */
    dupe = false;
    ck_assert_int_eq(db_txn_dry(c, insert_then_defer, &dupe), DB_OK);
    n = th_sql(&pg, "SELECT count(*) FROM t_unique");
    ck_assert_str_eq(n, "0");
    free(n);
    db_thread_close();
}
END_TEST

/* Under the guard of key `key`: one write now (`first`, then as many as asked), or with
 * `deferred_only` one write deferred to the COMMIT and nothing else. */
struct guarded {
    const char *key, *value;
    bool deferred_only, ignore_rc;
    enum db_rc first_rc;
};

static enum db_rc guarded_body(struct db_conn *c, void *cls)
{
    struct guarded *g = cls;
    const char *k[] = {g->key}, *v[] = {g->value};
    enum db_rc rc = db_txn_guard(c, &take, k);
    if (rc != DB_OK)
        return rc;
    if (g->deferred_only)
        return db_exec_deferred(c, &insert, v);
    PGresult *res = db_exec(c, &insert, v, &rc);
    g->first_rc = rc;
    PQclear(res);
    if (!res && !g->ignore_rc)
        return rc;
    return db_exec_deferred(c, &insert, (const char *[]){"after"});
}

static char *rows(void)
{
    return th_sql(&pg, "SELECT coalesce(string_agg(k, ',' ORDER BY k), '') FROM t_unique");
}

START_TEST(guard_travels_with_the_first_statement)
{
    configure(5000);
    struct db_conn *c = db_thread_conn();
    ck_assert_ptr_nonnull(c);
    free(th_sql(&pg, "DELETE FROM t_unique"));
    struct db_counters before, after;
    /* a free key: BEGIN, the guard and the first write in one round trip, COMMIT in another */
    struct guarded g = {.key = "k1", .value = "one"};
    db_counters_read(&before);
    ck_assert_int_eq(db_txn(c, guarded_body, &g), DB_OK);
    db_counters_read(&after);
    ck_assert_int_eq(after.round_trips - before.round_trips, 2);
    ck_assert_int_eq(db_txn_guard_state(c), DB_GUARD_PASSED);
    char *n = rows();
    ck_assert_str_eq(n, "after,one");
    free(n);
    /* the key taken: the write's own answer is DB_GUARDED, nothing is kept, and a body that
     * goes on regardless still commits nothing */
    g = (struct guarded){.key = "k1", .value = "two"};
    ck_assert_int_eq(db_txn(c, guarded_body, &g), DB_GUARDED);
    ck_assert_int_eq(g.first_rc, DB_GUARDED);
    ck_assert_int_eq(db_txn_guard_state(c), DB_GUARD_EMPTY);
    /* ... also when the work's first statement fails in the same round trip ("one" is there) */
    g = (struct guarded){.key = "k1", .value = "one"};
    ck_assert_int_eq(db_txn(c, guarded_body, &g), DB_GUARDED);
    g = (struct guarded){.key = "k1", .value = "three", .ignore_rc = true};
    ck_assert_int_eq(db_txn(c, guarded_body, &g), DB_GUARDED);
    /* outside the transaction the empty guard is history: a statement runs (the stored
     * reply of an Idempotency-Key is read so) */
    enum db_rc rc;
    PGresult *res = db_exec(c, &slow, (const char *[]){"0"}, &rc);
    ck_assert_int_eq(rc, DB_OK);
    PQclear(res);
    /* a body that only defers: the guard is asked before anything can commit */
    g = (struct guarded){.key = "k1", .value = "four", .deferred_only = true};
    ck_assert_int_eq(db_txn(c, guarded_body, &g), DB_GUARDED);
    n = rows();
    ck_assert_str_eq(n, "after,one");
    free(n);
    g = (struct guarded){.key = "k2", .value = "five", .deferred_only = true};
    ck_assert_int_eq(db_txn(c, guarded_body, &g), DB_OK);
    n = rows();
    ck_assert_str_eq(n, "after,five,one");
    free(n);
    n = th_sql(&pg, "SELECT string_agg(k, ',' ORDER BY k) FROM t_key");
    ck_assert_str_eq(n, "k1,k2");
    free(n);
    /* the next transaction starts without a guard */
    bool dupe = false;
    free(th_sql(&pg, "DELETE FROM t_unique"));
    ck_assert_int_eq(db_txn(c, insert_then_defer, &dupe), DB_OK);
    ck_assert_int_eq(db_txn_guard_state(c), DB_GUARD_NONE);
    free(th_sql(&pg, "DELETE FROM t_unique"));
    db_thread_close();
}
END_TEST

static char *plans_of(struct db_conn *c, const char *name)
{
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &plans, (const char *[]){name}, false, &rc);
    ck_assert_int_eq(rc, DB_OK);
    char *n = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return n;
}

/* Sends both filter statements with a filter off and on, alone, two in one round trip and in
 * a transaction (BEGIN travelling with them); checks their answers. */
static enum db_rc run_filters(struct db_conn *c, void *cls)
{
    (void)cls;
    const struct db_stmt *both[] = {&each, &named};
    for (int i = 0; i < 4; i++) {
        const char *v = i % 2 ? "1" : "";
        const char *const *pv[] = {(const char *[]){v}, (const char *[]){v}};
        PGresult *res[2];
        enum db_rc rc = db_exec_many(c, 2, both, pv, res);
        if (rc != DB_OK)
            return rc;
        for (int k = 0; k < 2; k++) {
            ck_assert_str_eq(PQgetvalue(res[k], 0, 0), i % 2 ? "1" : "2");
            PQclear(res[k]);
        }
        for (int k = 0; k < 2; k++) {
            PGresult *one = db_exec(c, both[k], pv[k], &rc);
            ck_assert_int_eq(rc, DB_OK);
            ck_assert_str_eq(PQgetvalue(one, 0, 0), i % 2 ? "1" : "2");
            PQclear(one);
        }
    }
    return DB_OK;
}

START_TEST(plan_each_is_never_run_prepared)
{
    configure(5000);
    struct db_conn *c = db_thread_conn();
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(run_filters(c, NULL), DB_OK);
    ck_assert_int_eq(db_txn(c, run_filters, NULL), DB_OK);
    /* 16 runs of each: the named one by its prepared statement (its plans counted), the
     * plan_each one by its text, so never by a plan cached for whatever values came first */
    char *n = plans_of(c, "t_named");
    ck_assert_str_eq(n, "16");
    free(n);
    n = plans_of(c, "t_each");
    ck_assert_str_eq(n, "0");
    free(n);
    db_thread_close();
}
END_TEST

START_TEST(statement_timeout_keeps_connection)
{
    configure(200);
    struct db_counters before, after;
    db_counters_read(&before);
    struct db_conn *c = db_thread_conn();
    ck_assert_ptr_nonnull(c);
    const char *p[] = {"2"};
    enum db_rc rc;
    PGresult *res = db_exec(c, &slow, p, &rc);
    ck_assert_ptr_null(res);
    ck_assert_int_eq(rc, DB_TIMEOUT);
    const char *quick[] = {"0"};
    res = db_exec(c, &slow, quick, &rc);
    ck_assert_ptr_nonnull(res);
    PQclear(res);
    db_counters_read(&after);
    ck_assert_int_eq(after.connects - before.connects, 1); /* the one connection, reused */
    db_thread_close();
}
END_TEST

int main(void)
{
    th_pg_start(&pg);
    free(th_sql(&pg, "CREATE TABLE t_counter (id int PRIMARY KEY, n int NOT NULL);"
                     "INSERT INTO t_counter VALUES (1, 0), (2, 0);"
                     "CREATE TABLE t_unique (k text PRIMARY KEY);"
                     "CREATE TABLE t_key (k text PRIMARY KEY);"
                     "GRANT SELECT, INSERT, UPDATE ON t_counter, t_unique, t_key TO subsidy_app"));
    Suite *s = suite_create("txn");
    TCase *tc = tcase_create("helper");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, deadlock_is_retried_and_both_commit);
    tcase_add_test(tc, abort_and_unique_roll_back);
    tcase_add_test(tc, deferred_writes_travel_with_commit);
    tcase_add_test(tc, guard_travels_with_the_first_statement);
    tcase_add_test(tc, statement_timeout_keeps_connection);
    tcase_add_test(tc, plan_each_is_never_run_prepared);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    th_pg_destroy(&pg);
    return failed ? 1 : 0;
}
