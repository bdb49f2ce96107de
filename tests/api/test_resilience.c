/* API tier: faults.  PostgreSQL restarted under load (R6), a row held locked (R7), SIGTERM with
 * a request in flight, and the refusal to start on an unmigrated schema. */
#include <check.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64];

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- R6: load through a PostgreSQL restart ---- */

#define MAX_ACKED 20000
struct load {
    _Atomic int stop;
    _Atomic long ok, unavailable, unexpected;
    _Atomic long acked_n;
    long long acked[MAX_ACKED]; /* ids of 201 replies: each must exist afterwards */
    _Atomic double last_ok;     /* time of the latest 2xx */
    char unexpected_what[256];
};

static void *load_worker(void *cls)
{
    struct load *l = cls;
    while (!atomic_load(&l->stop)) {
        struct th_reply r = th_json(&d, "POST", "/v1/tokens", admin,
                                    "{\"role\":\"applicant\",\"subject\":\"330902198001010097\"}");
        if (r.status == 201) {
            long i = atomic_fetch_add(&l->acked_n, 1);
            if (i < MAX_ACKED)
                l->acked[i] = json_integer_value(json_object_get(r.json, "id"));
            atomic_fetch_add(&l->ok, 1);
            atomic_store(&l->last_ok, now_s());
        } else if (r.status == 503 && th_header(&r, "retry-after")) {
            atomic_fetch_add(&l->unavailable, 1);
        } else {
            if (atomic_fetch_add(&l->unexpected, 1) == 0)
                snprintf(l->unexpected_what, sizeof l->unexpected_what, "%ld %s", r.status,
                         r.body ? r.body : "(no body)");
        }
        th_reply_free(&r);
        r = th_http(&d, "GET", "/v1/me", admin, NULL, 0, NULL);
        if (r.status == 200)
            atomic_fetch_add(&l->ok, 1);
        else if (r.status == 503 && th_header(&r, "retry-after"))
            atomic_fetch_add(&l->unavailable, 1);
        else
            atomic_fetch_add(&l->unexpected, 1);
        th_reply_free(&r);
    }
    return NULL;
}

/* Seconds from now until a request succeeds again (polling every 50 ms, up to limit). */
static double until_ok(double limit)
{
    double start = now_s();
    while (now_s() - start < limit) {
        struct th_reply r = th_http(&d, "GET", "/v1/me", admin, NULL, 0, NULL);
        long st = r.status;
        th_reply_free(&r);
        if (st == 200)
            return now_s() - start;
        usleep(50000);
    }
    return limit + 1;
}

static void restart_under_load(const char *mode)
{
    static struct load l;
    memset(&l, 0, sizeof l);
    pid_t pid_before = d.pid;
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, load_worker, &l);
    sleep(1);
    th_pg_ctl(&pg, "stop", mode);
    sleep(2); /* an outage: requests must get 503 with Retry-After, nothing else */
    th_pg_ctl(&pg, "start", NULL); /* returns once PostgreSQL accepts connections */
    double back = until_ok(10);
    sleep(1);
    atomic_store(&l.stop, 1);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);

    ck_assert_msg(back <= 5.0, "2xx again only after %.1f s", back);
    ck_assert_int_eq(kill(pid_before, 0), 0); /* same process, still alive */
    ck_assert_int_eq(d.pid, pid_before);
    ck_assert_msg(atomic_load(&l.unexpected) == 0, "%ld unexpected replies, first: %s",
                  atomic_load(&l.unexpected), l.unexpected_what);
    ck_assert_int_gt(atomic_load(&l.unavailable), 0); /* the outage was seen */
    ck_assert_int_gt(atomic_load(&l.ok), 0);
    /* every acknowledged token exists: one query over all their ids */
    long n = atomic_load(&l.acked_n);
    ck_assert_int_le(n, MAX_ACKED);
    char *ids = malloc((size_t)n * 21 + 3), *w = ids;
    w += sprintf(w, "{");
    for (long i = 0; i < n; i++)
        w += sprintf(w, "%s%lld", i ? "," : "", l.acked[i]);
    sprintf(w, "}");
    PGconn *c = th_pg_super(&pg);
    const char *params[] = {ids};
    PGresult *res =
        PQexecParams(c, "SELECT count(DISTINCT id) FROM token WHERE id = ANY($1::bigint[])", 1,
                     NULL, params, NULL, NULL, 0);
    ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
    ck_assert_int_eq(atol(PQgetvalue(res, 0, 0)), n);
    PQclear(res);
    PQfinish(c);
    free(ids);
    /* what libpq heard from the server going away is in the log as JSON lines, not raw text */
    if (strcmp(mode, "immediate") == 0) /* the backends' "terminating connection" warning */
        ck_assert(th_log_wait(&d, "\"msg\":\"database notice\"", 2.0));
    char bad_line[256] = "";
    long bad = th_log_bad_lines(&d, bad_line, sizeof bad_line);
    ck_assert_msg(bad == 0, "%ld log lines are not JSON, first: %s", bad, bad_line);
    fprintf(stderr, "R6 %s: %ld ok, %ld x 503, back after %.2f s, %ld acknowledged kept\n", mode,
            atomic_load(&l.ok), atomic_load(&l.unavailable), back, n);
}

START_TEST(postgres_fast_restart)
{
    restart_under_load("fast");
}
END_TEST

START_TEST(postgres_immediate_restart)
{
    restart_under_load("immediate");
}
END_TEST

/* ---- R7: a row held locked from psql ---- */

static long metric(const char *name)
{
    struct th_reply r = th_http(&d, "GET", "/metrics", NULL, NULL, 0, NULL);
    char key[128];
    snprintf(key, sizeof key, "\n%s ", name);
    const char *p = r.body ? strstr(r.body, key) : NULL;
    long v = p ? atol(p + strlen(key)) : -1;
    th_reply_free(&r);
    return v;
}

START_TEST(lock_timeout_is_503_and_connection_reused)
{
    struct th_reply r = th_json(&d, "POST", "/v1/tokens", admin,
                                "{\"role\":\"applicant\",\"subject\":\"33090219800101010X\"}");
    ck_assert_int_eq(r.status, 201);
    long long id = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    char path[64], sql[128];
    snprintf(path, sizeof path, "/v1/tokens/%lld", id);
    snprintf(sql, sizeof sql, "SELECT id FROM token WHERE id = %lld FOR UPDATE", id);

    /* warm every worker's connection, then count connects */
    for (int i = 0; i < 32; i++) {
        r = th_http(&d, "GET", "/v1/me", admin, NULL, 0, NULL);
        th_reply_free(&r);
    }
    long connects = metric("subsidyd_db_connects_total");

    PGconn *holder = th_pg_super(&pg);
    PQclear(PQexec(holder, "BEGIN"));
    PGresult *res = PQexec(holder, sql);
    ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
    PQclear(res);

    double t0 = now_s();
    r = th_http(&d, "DELETE", path, admin, NULL, 0, NULL);
    double took = now_s() - t0;
    ck_assert_int_eq(r.status, 503);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "code")), 5002);
    ck_assert_ptr_nonnull(th_header(&r, "retry-after"));
    th_reply_free(&r);
    ck_assert_msg(took <= 1.0 + 1.0, "503 after %.2f s (lock_timeout 1 s)", took);

    PQclear(PQexec(holder, "ROLLBACK"));
    PQfinish(holder);
    r = th_http(&d, "DELETE", path, admin, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 204);
    th_reply_free(&r);
    for (int i = 0; i < 32; i++) {
        r = th_http(&d, "GET", "/v1/me", admin, NULL, 0, NULL);
        ck_assert_int_eq(r.status, 200);
        th_reply_free(&r);
    }
    ck_assert_int_eq(metric("subsidyd_db_connects_total"), connects);
    ck_assert_int_ge(metric("subsidyd_db_timeouts_total"), 1);
}
END_TEST

/* ---- --threads bounds the requests on the database; the next one waits for a connection ---- */

struct waiting {
    const char *path, *method;
    long status;
    double took;
};

static void *request_in_background(void *cls)
{
    struct waiting *w = cls;
    double t0 = now_s();
    struct th_reply r = th_http(&d, w->method, w->path, admin, NULL, 0, NULL);
    w->took = now_s() - t0;
    w->status = r.status;
    th_reply_free(&r);
    return NULL;
}

static long app_backends(void)
{
    return th_count(&pg, "SELECT count(*) FROM pg_stat_activity WHERE usename = 'subsidy_app'");
}

START_TEST(requests_beyond_threads_wait_for_a_connection)
{
    /* four requests (--threads 4) wait on a row held locked, each on its own HTTP connection */
    char subject[19], body[96];
    th_resident_id(subject, "330902", 1980, 37);
    snprintf(body, sizeof body, "{\"role\":\"applicant\",\"subject\":\"%s\"}", subject);
    struct th_reply r = th_json(&d, "POST", "/v1/tokens", admin, body);
    ck_assert_int_eq(r.status, 201);
    long long id = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    char path[64], sql[128];
    snprintf(path, sizeof path, "/v1/tokens/%lld", id);
    snprintf(sql, sizeof sql, "SELECT id FROM token WHERE id = %lld FOR UPDATE", id);
    PGconn *holder = th_pg_super(&pg);
    PQclear(PQexec(holder, "BEGIN"));
    PQclear(PQexec(holder, sql));
    struct waiting held[4], next = {"/v1/me", "GET", 0, 0};
    pthread_t t[4], tn;
    for (int i = 0; i < 4; i++) {
        held[i] = (struct waiting){path, "DELETE", 0, 0};
        pthread_create(&t[i], NULL, request_in_background, &held[i]);
    }
    usleep(300000);
    /* a fifth waits for one of their connections (the lock timeout frees them after 1 s)
     * instead of opening one more: the backends stay the pool's (4 + the audit chainer's, the
     * review-job worker's and the notification worker's) */
    pthread_create(&tn, NULL, request_in_background, &next);
    usleep(300000);
    ck_assert_int_le(app_backends(), 7);
    pthread_join(tn, NULL);
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        ck_assert_int_eq(held[i].status, 503); /* db_timeout: the lock was not given */
    }
    ck_assert_int_eq(next.status, 200);
    ck_assert_msg(next.took >= 0.4, "the fifth request took %.2f s: it did not wait", next.took);
    PQclear(PQexec(holder, "ROLLBACK"));
    PQfinish(holder);
    ck_assert_int_le(app_backends(), 7);
}
END_TEST

/* ---- SIGTERM: stop accepting, finish what is in flight, exit 0 ---- */

struct pending {
    struct th_daemon *d;
    char path[64];
    long status;
};

static void *delete_in_background(void *cls)
{
    struct pending *p = cls;
    struct th_reply r = th_http(p->d, "DELETE", p->path, admin, NULL, 0, NULL);
    p->status = r.status;
    th_reply_free(&r);
    return NULL;
}

START_TEST(sigterm_drains_in_flight)
{
    struct th_daemon dd; /* its own daemon: a lock wait longer than the test's pauses */
    th_daemon_start(&dd, &pg, (const char *const[]){"--lock-timeout", "10000", NULL});
    ck_assert_int_ne(dd.pid, 0);
    struct th_reply r = th_json(&dd, "POST", "/v1/tokens", admin,
                                "{\"role\":\"applicant\",\"subject\":\"330902198001010011\"}");
    long long id = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    struct pending p = {.d = &dd};
    snprintf(p.path, sizeof p.path, "/v1/tokens/%lld", id);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT id FROM token WHERE id = %lld FOR UPDATE", id);
    PGconn *holder = th_pg_super(&pg);
    PQclear(PQexec(holder, "BEGIN"));
    PQclear(PQexec(holder, sql));

    pthread_t t;
    pthread_create(&t, NULL, delete_in_background, &p);
    usleep(300000); /* the DELETE now waits for the lock inside the daemon */
    kill(dd.pid, SIGTERM);
    usleep(200000);
    /* no new connections are accepted any more */
    r = th_http(&dd, "GET", "/v1/health", NULL, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 0);
    th_reply_free(&r);
    PQclear(PQexec(holder, "COMMIT")); /* release: the DELETE completes */
    PQfinish(holder);
    pthread_join(t, NULL);
    ck_assert_int_eq(p.status, 204);
    int st = th_daemon_stop(&dd, 0);
    ck_assert_int_eq(st, 0);
    ck_assert(th_log_contains(&dd, "\"requests_unfinished\":0"));
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM token WHERE id = %lld AND revoked_at IS NOT NULL", id);
    char *revoked = th_sql(&pg, sql);
    ck_assert_str_eq(revoked, "1");
    free(revoked);
}
END_TEST

/* ---- the daemon refuses a schema behind its migrations ---- */

START_TEST(refuses_unmigrated_schema)
{
    /* forget the newest migration: the daemon must refuse and name it */
    char *name = th_sql(&pg, "DELETE FROM schema_migration WHERE version ="
                             " (SELECT max(version) FROM schema_migration) RETURNING name");
    struct th_daemon other;
    th_daemon_start(&other, &pg, NULL);
    ck_assert_int_eq(other.pid, 0); /* exited */
    char expect[128];
    snprintf(expect, sizeof expect, "missing migration %s", name);
    ck_assert_msg(th_log_contains(&other, expect), "no \"%s\" in the log", expect);
    free(name);
}
END_TEST

int main(void)
{
    th_pg_start(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    const char *args[] = {"--threads", "4", "--lock-timeout", "1000", "--db-retry-backoff",
                          "100",       NULL};
    th_daemon_start(&d, &pg, args);
    if (!d.pid) {
        fprintf(stderr, "daemon did not start\n");
        th_pg_destroy(&pg);
        return 99;
    }
    Suite *s = suite_create("resilience");
    TCase *tc = tcase_create("faults");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, postgres_fast_restart);
    tcase_add_test(tc, postgres_immediate_restart);
    tcase_add_test(tc, lock_timeout_is_503_and_connection_reused);
    tcase_add_test(tc, requests_beyond_threads_wait_for_a_connection);
    tcase_add_test(tc, sigterm_drains_in_flight);
    tcase_add_test(tc, refuses_unmigrated_schema);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
