/* API tier: claims that are never lost and never doubled (issue 5).
 *   R5  kill -9 of the daemon during a submission load, 20 times, restarted each time (and
 *       PostgreSQL restarted immediately twice on the way): every acknowledged submission is
 *       there, and retrying every request under its key never makes a second claim.
 *   R8  two daemons on one database: the quota race (R1), the same-occupation race (R2) and
 *       replays (R3) split across them give the same results as one daemon. */
#include <check.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d, d2;
static char admin[64], enterprise[64];

#define ENT_ZS "91330900MA28K1234U"

static void claim_body(char *out, size_t len, const char *id, const char *occupation,
                       const char *number)
{
    snprintf(out, len,
             "{\"region\":\"330902\",\"submit\":true,\"employee\":{\"id_number\":\"%s\","
             "\"name\":\"员工\"},\"claim\":{\"kind\":\"certificate_training\",\"occupation\":"
             "\"%s\",\"level\":\"level4\",\"certificate\":{\"kind\":\"qualification\","
             "\"number\":\"%s\",\"issue_date\":\"2021-05-01\"},\"actual_cost_fen\":90000}}",
             id, occupation, number);
}

static long code_of(const struct th_reply *r)
{
    return r->json ? (long)json_integer_value(json_object_get(r->json, "code")) : -1;
}

/* ---- R5 ---- */

#define R5_WORKERS  4
#define R5_PER_WORK 2000

struct request {
    char key[32], body[640];
    bool sent;
    long status;
    long long id; /* of the acknowledged claim */
};

static struct request requests[R5_WORKERS][R5_PER_WORK];
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static struct th_daemon live; /* the daemon of the moment; its port changes on each restart */
static atomic_bool stop_load;
static atomic_long acked_so_far; /* 201s of the load, counted as they come */

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void *load(void *arg)
{
    int w = (int)(long)arg;
    for (int i = 0; i < R5_PER_WORK && !atomic_load(&stop_load); i++) {
        struct request *q = &requests[w][i];
        pthread_mutex_lock(&live_lock);
        struct th_daemon target = live;
        pthread_mutex_unlock(&live_lock);
        q->sent = true;
        struct th_reply r = th_write(&target, "POST", "/v1/claims", enterprise, q->key, q->body);
        q->status = r.status;
        if (r.status == 201) {
            q->id = json_integer_value(json_object_get(r.json, "id"));
            atomic_fetch_add(&acked_so_far, 1);
        }
        th_reply_free(&r);
        if (q->status != 201)
            pause_ms(20); /* the daemon is restarting, or the database */
    }
    return NULL;
}

START_TEST(kill_9_loses_and_doubles_nothing)
{
    for (int w = 0; w < R5_WORKERS; w++)
        for (int i = 0; i < R5_PER_WORK; i++) {
            struct request *q = &requests[w][i];
            char id[19], number[32];
            th_resident_id(id, "330902", 1985, (unsigned)(w * R5_PER_WORK + i));
            snprintf(number, sizeof number, "R5-%d-%d", w, i);
            snprintf(q->key, sizeof q->key, "r5-%d-%d", w, i);
            claim_body(q->body, sizeof q->body, id, "6-18-02-04", number);
        }
    live = d;
    atomic_store(&stop_load, false);
    pthread_t t[R5_WORKERS];
    for (int w = 0; w < R5_WORKERS; w++)
        pthread_create(&t[w], NULL, load, (void *)(long)w);
    int kills = 0, restarts = 0;
    for (int round = 0; round < 22; round++) {
        /* each kill after a few more acknowledged submissions, however slow the machine (a
         * fixed pause starved the load under the sanitizers on a busy machine), up to 30 s */
        long before = atomic_load(&acked_so_far);
        for (int waited = 0; atomic_load(&acked_so_far) < before + 3 && waited < 3000; waited++)
            pause_ms(10);
        pause_ms(25 * (round % 4));
        if (round == 7 || round == 15) {
            th_pg_ctl(&pg, "restart", "immediate"); /* the database, not the daemon */
            restarts++;
            continue;
        }
        pthread_mutex_lock(&live_lock);
        int st = th_daemon_stop(&live, SIGKILL);
        ck_assert_int_eq(st, 128 + SIGKILL);
        kills++;
        th_daemon_start(&live, &pg, NULL);
        ck_assert_int_gt(live.pid, 0);
        pthread_mutex_unlock(&live_lock);
    }
    atomic_store(&stop_load, true);
    for (int w = 0; w < R5_WORKERS; w++)
        pthread_join(t[w], NULL);
    d = live;
    ck_assert_int_eq(kills, 20);
    ck_assert_int_eq(restarts, 2);

    /* every acknowledged submission is there */
    long acked = 0, tried = 0, missing = 0, refused = 0, unavailable = 0;
    for (int w = 0; w < R5_WORKERS; w++)
        for (int i = 0; i < R5_PER_WORK; i++) {
            struct request *q = &requests[w][i];
            if (q->sent)
                tried++;
            refused += q->sent && q->status == 0;
            unavailable += q->status == 503;
            if (q->status != 201)
                continue;
            acked++;
            char sql[128];
            snprintf(sql, sizeof sql, "SELECT count(*) FROM claim WHERE id = %lld", q->id);
            if (th_count(&pg, sql) != 1)
                missing++;
        }
    fprintf(stderr,
            "R5: %ld requests sent, %ld acknowledged, %ld cut off or refused, %ld 503; %d kills,"
            " %d database restarts\n",
            tried, acked, refused, unavailable, kills, restarts);
    ck_assert_int_ge(acked, 50); /* enough to mean something, even under the sanitizers */
    ck_assert_int_eq(missing, 0);

    /* retrying every request under its key: the first answer again, or the first effect now;
     * never a second claim */
    for (int w = 0; w < R5_WORKERS; w++)
        for (int i = 0; i < R5_PER_WORK; i++) {
            struct request *q = &requests[w][i];
            if (!q->sent)
                continue;
            struct th_reply r = th_write(&d, "POST", "/v1/claims", enterprise, q->key, q->body);
            ck_assert_msg(r.status == 201, "%s: %ld %s", q->key, r.status, r.body);
            if (q->status == 201)
                ck_assert_int_eq(json_integer_value(json_object_get(r.json, "id")), q->id);
            th_reply_free(&r);
        }
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM (SELECT input #>> "
                                   "'{claim,certificate,number}' FROM claim WHERE input #>> "
                                   "'{claim,certificate,number}' LIKE 'R5-%' GROUP BY 1 "
                                   "HAVING count(*) > 1) x"),
                     0);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM claim WHERE input #>> "
                                   "'{claim,certificate,number}' LIKE 'R5-%'"),
                     tried);
    /* and every one of them has its timeline and audit rows */
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM claim c WHERE NOT EXISTS (SELECT 1"
                                   " FROM claim_event e WHERE e.claim_id = c.id) OR NOT EXISTS"
                                   " (SELECT 1 FROM audit a WHERE a.object_kind = 'claim' AND"
                                   " a.object_id = c.id::text)"),
                     0);
}
END_TEST

/* ---- R8 ---- */

START_TEST(two_daemons_keep_the_limits)
{
    static struct th_shot shots[16];
    static char keys[16][48];
    /* R1 across two daemons: 20 trials */
    for (int trial = 0; trial < 20; trial++) {
        char id[19];
        th_resident_id(id, "330902", 1985, 5000 + (unsigned)trial);
        for (int i = 0; i < 16; i++) {
            char occupation[16], number[32];
            snprintf(occupation, sizeof occupation, "6-18-05-%02d", i);
            snprintf(number, sizeof number, "R8-%d-%d", trial, i);
            snprintf(keys[i], sizeof keys[i], "r8-1-%d-%d", trial, i);
            shots[i] =
                (struct th_shot){i % 2 ? &d2 : &d, "POST", "/v1/claims", enterprise, NULL, "", {0}};
            shots[i].key = keys[i];
            claim_body(shots[i].body, sizeof shots[i].body, id, occupation, number);
        }
        th_write_all(shots, 16);
        int granted = 0, quota = 0;
        for (int i = 0; i < 16; i++) {
            if (shots[i].reply.status == 201)
                granted++;
            else if (shots[i].reply.status == 409 && code_of(&shots[i].reply) == 4001)
                quota++;
            else
                ck_abort_msg("unexpected %ld %s", shots[i].reply.status, shots[i].reply.body);
            th_reply_free(&shots[i].reply);
        }
        ck_assert_int_eq(granted, 3);
        ck_assert_int_eq(quota, 13);
    }
    /* R2 across two daemons */
    char id[19];
    th_resident_id(id, "330902", 1985, 6000);
    for (int i = 0; i < 16; i++) {
        snprintf(keys[i], sizeof keys[i], "r8-2-%d", i);
        shots[i] =
            (struct th_shot){i % 2 ? &d2 : &d, "POST", "/v1/claims", enterprise, NULL, "", {0}};
        shots[i].key = keys[i];
        claim_body(shots[i].body, sizeof shots[i].body, id, "6-18-06-01", "R8-SAME");
    }
    th_write_all(shots, 16);
    int granted = 0, dup = 0;
    for (int i = 0; i < 16; i++) {
        if (shots[i].reply.status == 201)
            granted++;
        else if (shots[i].reply.status == 409 && code_of(&shots[i].reply) == 4002)
            dup++;
        else
            ck_abort_msg("unexpected %ld %s", shots[i].reply.status, shots[i].reply.body);
        th_reply_free(&shots[i].reply);
    }
    ck_assert_int_eq(granted, 1);
    ck_assert_int_eq(dup, 15);
    /* R3 across two daemons: ten at once on one key, then ten in sequence alternating */
    th_resident_id(id, "330902", 1985, 6001);
    for (int i = 0; i < 10; i++) {
        shots[i] =
            (struct th_shot){i % 2 ? &d2 : &d, "POST", "/v1/claims", enterprise, NULL, "", {0}};
        shots[i].key = "r8-3";
        claim_body(shots[i].body, sizeof shots[i].body, id, "6-18-06-02", "R8-REPLAY");
    }
    th_write_all(shots, 10);
    for (int i = 0; i < 10; i++) {
        ck_assert_int_eq(shots[i].reply.status, 201);
        ck_assert_str_eq(shots[i].reply.body, shots[0].reply.body);
    }
    for (int i = 0; i < 10; i++) {
        struct th_reply r =
            th_write(i % 2 ? &d2 : &d, "POST", "/v1/claims", enterprise, "r8-3", shots[0].body);
        ck_assert_int_eq(r.status, 201);
        ck_assert_str_eq(r.body, shots[0].reply.body);
        th_reply_free(&r);
    }
    for (int i = 0; i < 10; i++)
        th_reply_free(&shots[i].reply);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM claim WHERE input #>> "
                                   "'{claim,certificate,number}' = 'R8-REPLAY'"),
                     1);
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_token(&pg, "enterprise", ENT_ZS, NULL, enterprise);
    struct th_reply r = th_write(&d, "PUT", "/v1/admin/enterprises/" ENT_ZS, admin, "ent",
                                 "{\"name\":\"舟山示范企业\",\"region\":\"330902\"}");
    long st = r.status;
    th_reply_free(&r);
    if (st != 201) {
        fprintf(stderr, "enterprise registration: %ld\n", st);
        th_finish(&pg, &d);
        return 99;
    }
    /* the enterprise's employees, as the social-insurance export shows them */
    static char ids[R5_WORKERS * R5_PER_WORK + 22][19];
    static const char *idp[R5_WORKERS * R5_PER_WORK + 22];
    int n = 0;
    for (unsigned i = 0; i < R5_WORKERS * R5_PER_WORK; i++)
        th_resident_id(ids[n++], "330902", 1985, i);
    for (unsigned i = 0; i < 20; i++)
        th_resident_id(ids[n++], "330902", 1985, 5000 + i);
    th_resident_id(ids[n++], "330902", 1985, 6000);
    th_resident_id(ids[n++], "330902", 1985, 6001);
    for (int i = 0; i < n; i++)
        idp[i] = ids[i];
    if (!th_insure(&d, admin, ENT_ZS, idp, n, "2019-01-01")) {
        th_finish(&pg, &d);
        return 99;
    }
    th_daemon_start(&d2, &pg, NULL);

    Suite *s = suite_create("claims-durability");
    TCase *tc = tcase_create("durability");
    tcase_set_timeout(tc, 280);
    tcase_add_test(tc, two_daemons_keep_the_limits);
    tcase_add_test(tc, kill_9_loses_and_doubles_nothing);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    th_daemon_stop(&d2, SIGTERM);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
