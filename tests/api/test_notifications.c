/* API tier: the notification outbox and its webhooks (issue 14 "Outboxes", notifications;
 * sql/0035_notification_outbox.sql, src/http/notification_worker.c).  A receiver inside this
 * test (libmicrohttpd on a free loopback port) checks every post's signature with the secret it
 * was given and answers as each test sets it: failing the first posts of each event on purpose,
 * always failing, sleeping past the daemon's timeout, or pacing.  Asserted: a return and an
 * approval write their outbox rows in the transaction of the step (same timestamp as the
 * timeline row) and a refused step writes none; delivery after retries with the attempts
 * counted; dead after --webhook-max-attempts, listed by subsidyctl outbox list and posted again
 * by outbox retry (audited); a webhook with another secret fails the receiver's check (the check
 * works); a receiver slower than --webhook-timeout never delays a request; kill -9 of the daemon
 * in the middle of deliveries and a restart deliver every committed event, duplicates only with
 * the same event id; two daemons sharing the outbox post each event once; a class filing's
 * decision is an event for the institution; /metrics counts the rows by state; subsidyctl webhook
 * refuses bad arguments and never prints the secret. */
#include <check.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define SECRET       "receiver-secret-0123456789abcdef"
#define OTHER_SECRET "another-secret-0123456789abcdef!"
#define MAX_POSTS    4096
#define MAX_BODY     16384

#define K " AND kind <> 'claim.in_notice'" /* approvals open their notice too */
static struct th_pg pg;
static struct th_daemon d;
static char admin[64], approver[64], inst[64], inst_code[19], secret_file[300],
    other_secret_file[300];
static int receiver_port;
static unsigned serial = 100;
static int keys;

/* The daemon's options: short back-off, timeouts and polls, so that a test runs in seconds. */
static const char *const daemon_args[] = {"--webhook-backoff-base",
                                          "100",
                                          "--webhook-backoff-cap",
                                          "400",
                                          "--webhook-max-attempts",
                                          "4",
                                          "--webhook-timeout",
                                          "1000",
                                          "--webhook-connect-timeout",
                                          "500",
                                          "--webhook-poll",
                                          "50",
                                          "--overdue-metrics-cache",
                                          "0",
                                          NULL};

/* The same with a post timeout of 4 s (a_slow_receiver_never_delays_a_request). */
static const char *const slow_args[] = {"--webhook-backoff-base",
                                        "100",
                                        "--webhook-backoff-cap",
                                        "400",
                                        "--webhook-timeout",
                                        "4000",
                                        "--webhook-poll",
                                        "50",
                                        NULL};

/* ---- the receiver ---- */

struct post {
    char path[16];
    long long event_id;
    bool signed_ok;
    char kind[40];
    long long claim_id;
};
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct post posts[MAX_POSTS];
static int nposts;
static int fail_first;     /* /good: the first so many posts of each event answer 500 */
static bool fail_accepts;  /* /fail answers 200 instead of 500 */
static int slow_ms = 6000; /* /slow sleeps so long before answering */
static int pace_ms = 300;  /* /pace sleeps so long, then answers 200 */

struct upload {
    char body[MAX_BODY];
    size_t len;
    bool too_big;
};

static bool signature_ok(struct MHD_Connection *c, const char *body)
{
    const char *sig = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Subsidyd-Signature");
    const char *ts = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Subsidyd-Timestamp");
    if (!sig || !ts || strncmp(sig, "sha256=", 7) != 0)
        return false;
    long long t = atoll(ts);
    if (llabs((long long)time(NULL) - t) > 300) /* a replay of an old post */
        return false;
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char hex[2 * crypto_auth_hmacsha256_BYTES + 1];
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)SECRET, strlen(SECRET));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, strlen(ts));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    return strlen(sig + 7) == strlen(hex) && sodium_memcmp(sig + 7, hex, strlen(hex)) == 0;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) /* a signal (a child's exit) cut it short: sleep the rest */
        ;
}

static enum MHD_Result answer(struct MHD_Connection *c, unsigned status)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(2, (void *)"{}", MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result receive(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *data,
                               size_t *size, void **con_cls)
{
    (void)cls;
    (void)version;
    (void)method;
    struct upload *u = *con_cls;
    if (!u) {
        *con_cls = calloc(1, sizeof *u);
        return *con_cls ? MHD_YES : MHD_NO;
    }
    if (*size) {
        if (u->len + *size >= MAX_BODY)
            u->too_big = true;
        else {
            memcpy(u->body + u->len, data, *size);
            u->len += *size;
        }
        *size = 0;
        return MHD_YES;
    }
    u->body[u->len] = '\0';
    struct post p = {.signed_ok = !u->too_big && signature_ok(c, u->body)};
    snprintf(p.path, sizeof p.path, "%s", url);
    const char *id = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Subsidyd-Event-Id");
    p.event_id = id ? atoll(id) : 0;
    json_t *j = json_loads(u->body, 0, NULL);
    snprintf(p.kind, sizeof p.kind, "%s", json_string_value(json_object_get(j, "kind")) ?: "");
    p.claim_id = json_integer_value(
        json_object_get(json_object_get(json_object_get(j, "data"), "claim"), "id"));
    bool id_matches = j && json_integer_value(json_object_get(j, "id")) == p.event_id;
    json_decref(j);
    int seen = 0;
    pthread_mutex_lock(&mu);
    for (int i = 0; i < nposts; i++)
        seen += posts[i].event_id == p.event_id && strcmp(posts[i].path, p.path) == 0;
    if (nposts < MAX_POSTS)
        posts[nposts++] = p;
    int fail = fail_first;
    bool accepts = fail_accepts;
    int slow = slow_ms, pace = pace_ms;
    pthread_mutex_unlock(&mu);
    if (!p.signed_ok || !id_matches)
        return answer(c, 401);
    if (strcmp(url, "/good") == 0)
        return answer(c, seen < fail ? 500 : 200);
    if (strcmp(url, "/fail") == 0)
        return answer(c, accepts ? 200 : 500);
    if (strcmp(url, "/slow") == 0) {
        sleep_ms(slow);
        return answer(c, 200);
    }
    if (strcmp(url, "/pace") == 0) {
        sleep_ms(pace);
        return answer(c, 200);
    }
    return answer(c, 404);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)c;
    (void)code;
    free(*con_cls);
    *con_cls = NULL;
}

static struct MHD_Daemon *receiver_start(void)
{
    struct MHD_Daemon *r = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG, 0,
        NULL, NULL, receive, NULL, MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
        MHD_OPTION_SOCK_ADDR, NULL, MHD_OPTION_END);
    if (!r)
        return NULL;
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(r, MHD_DAEMON_INFO_BIND_PORT);
    receiver_port = info ? info->port : 0;
    return r;
}

/* Posts to path (NULL: any) so far: all of them, those with a good signature, and of event id
 * (0: any). */
static int posts_to(const char *path, long long event_id, bool signed_only)
{
    int n = 0;
    pthread_mutex_lock(&mu);
    for (int i = 0; i < nposts; i++)
        n += (!path || strcmp(posts[i].path, path) == 0) &&
             (!event_id || posts[i].event_id == event_id) && (!signed_only || posts[i].signed_ok);
    pthread_mutex_unlock(&mu);
    return n;
}

/* ---- helpers ---- */

/* subsidyctl with the token key (webhook add seals the secret with it); output to out. */
static int ctl(const char *const *args, const char *out)
{
    const char *argv[24] = {"--token-key-file", pg.key_file};
    int n = 2;
    for (; *args && n < 23; args++)
        argv[n++] = *args;
    argv[n] = NULL;
    return th_subsidyctl(&pg, argv, out);
}

/* Add a webhook to path of the receiver with the secret in file, for events (NULL every
 * kind): its id. */
static long long webhook(const char *path, const char *file, const char *events)
{
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", receiver_port, path);
    const char *args[] = {
        "webhook", "add", "--url", url, "--secret-file", file, events ? "--events" : NULL,
        events,    NULL};
    ck_assert_int_eq(ctl(args, NULL), 0);
    return th_count(&pg, "SELECT max(id) FROM webhook");
}

static void webhook_off(long long id)
{
    char idt[24];
    snprintf(idt, sizeof idt, "%lld", id);
    const char *args[] = {"webhook", "disable", idt, NULL};
    ck_assert_int_eq(ctl(args, NULL), 0);
}

static struct th_reply step(long long id, const char *what, const char *body)
{
    char path[96], k[32];
    snprintf(path, sizeof path, "/v1/claims/%lld/%s", id, what);
    snprintf(k, sizeof k, "n-step-%d", keys++);
    return th_write(&d, "POST", path, approver, k, body);
}

static void expect(struct th_reply r, long status)
{
    ck_assert_msg(r.status == status, "%ld (want %ld) %s", r.status, status, r.body);
    th_reply_free(&r);
}

#define RETURN_BODY                                                                                \
    "{\"fixes\":[{\"field\":\"claim.certificate.number\",\"reason\":\"与证书不一致\"}]}"
#define REJECT_BODY "{\"reason_codes\":[\"other\"],\"reason\":\"证书与记录不符\"}"

/* A new submitted claim, taken by the approver. */
static long long taken_claim(void)
{
    char id_number[19];
    long long id = th_electrician_claim(&d, &pg, 1986, serial++, "NT", id_number);
    expect(step(id, "take", "{}"), 200);
    return id;
}

static long rows(const char *where)
{
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM notification_outbox WHERE %s", where);
    return th_count(&pg, sql);
}

/* Wait up to seconds for the count of where to reach want: whether it did. */
static bool wait_rows(const char *where, long want, double seconds)
{
    for (double t = 0; t < seconds; t += 0.05) {
        if (rows(where) >= want)
            return true;
        sleep_ms(50);
    }
    return rows(where) >= want;
}

/* ---- the tests ---- */

/* Each test starts with no webhook enabled (a failed test may have left its own) and the
 * daemon up (a failed test may have left it stopped). */
static void no_webhooks(void)
{
    free(th_sql(&pg, "UPDATE webhook SET enabled = false, disabled_at = now() WHERE enabled"));
    if (kill(d.pid, 0) != 0)
        th_daemon_start(&d, &pg, daemon_args);
}

START_TEST(steps_write_their_events_in_their_transaction_and_are_delivered_after_retries)
{
    pthread_mutex_lock(&mu);
    fail_first = 2;
    pthread_mutex_unlock(&mu);
    long long returned = taken_claim(), approved = taken_claim(), refused = taken_claim();
    long long refused_other = th_electrician_claim(&d, &pg, 1986, serial++, "NT", (char[19]){0});
    expect(step(returned, "return", RETURN_BODY), 200);
    expect(step(approved, "approve", "{}"), 200);
    /* refused steps write no timeline row and so no event: a second return, an approval of a
     * claim not taken, a rejection without reasons */
    expect(step(returned, "return", RETURN_BODY), 409);
    expect(step(refused_other, "approve", "{}"), 409);
    expect(step(refused, "reject", "{}"), 422);
    char where[768];
    snprintf(where, sizeof where, "claim_id IN (%lld, %lld)", refused, refused_other);
    ck_assert_int_eq(rows(where), 0);
    /* one row each, of the right kind, for the owner, in the step's own transaction: now() is the
     * transaction's start, so the row's created_at is the timeline row's at */
    snprintf(where, sizeof where,
             "claim_id = %lld AND kind = 'claim.returned' AND recipient_role = 'applicant'"
             " AND EXISTS (SELECT 1 FROM claim_event e WHERE e.id = step_id AND e.at = created_at"
             " AND e.action = 'return')"
             " AND recipient_subject = (SELECT owner_subject FROM claim WHERE id = claim_id)"
             " AND payload #>> '{claim,id_number_masked}' ~ '^[0-9]{6}\\*{8}'",
             returned);
    ck_assert_int_eq(rows(where), 1);
    snprintf(where, sizeof where,
             "claim_id = %lld AND kind = 'claim.approved' AND (payload #>> '{claim,amount_fen}')"
             "::bigint = 140000 AND EXISTS (SELECT 1 FROM claim_event e WHERE e.id = step_id"
             " AND e.at = created_at AND e.action = 'approve')",
             approved);
    ck_assert_int_eq(rows(where), 1);
    snprintf(where, sizeof where, "claim_id IN (%lld, %lld)", returned, approved);
    ck_assert_int_eq(rows(where), 3); /* take is no event; the approval opened the notice */
    snprintf(where, sizeof where, "claim_id = %lld AND kind = 'claim.in_notice'", approved);
    ck_assert_int_eq(rows(where), 1);
    /* no webhook yet: they wait */
    sleep_ms(300);
    snprintf(where, sizeof where, "claim_id IN (%lld, %lld) AND state = 'pending'", returned,
             approved);
    ck_assert_int_eq(rows(where), 3);
    long long hook = webhook("/good", secret_file, NULL);
    snprintf(where, sizeof where,
             "claim_id IN (%lld, %lld) AND state = 'delivered' AND attempts = 3"
             " AND delivered_to = ARRAY[%lld]::bigint[] AND last_error = 'webhook %lld: HTTP 500'",
             returned, approved, hook, hook);
    ck_assert_msg(wait_rows(where, 3, 20), "not delivered after two failures each");
    /* the receiver saw three posts of each, all signed with its secret */
    long long rid = th_count(&pg, "SELECT id FROM notification_outbox WHERE kind ="
                                  " 'claim.returned' ORDER BY id DESC LIMIT 1");
    ck_assert_int_eq(posts_to("/good", rid, true), 3);
    ck_assert_int_eq(posts_to("/good", rid, false), 3);
    pthread_mutex_lock(&mu);
    bool found = false;
    for (int i = 0; i < nposts; i++)
        found |= posts[i].event_id == rid && strcmp(posts[i].kind, "claim.returned") == 0 &&
                 posts[i].claim_id == returned;
    fail_first = 0;
    pthread_mutex_unlock(&mu);
    ck_assert(found);
    webhook_off(hook);
}
END_TEST

START_TEST(a_receiver_that_always_fails_makes_it_dead_and_retry_posts_it_again)
{
    pthread_mutex_lock(&mu);
    fail_accepts = false;
    pthread_mutex_unlock(&mu);
    long long hook = webhook("/fail", secret_file, "claim.rejected");
    long long id = taken_claim();
    expect(step(id, "reject", REJECT_BODY), 200);
    char where[768];
    snprintf(where, sizeof where,
             "claim_id = %lld AND kind = 'claim.rejected' AND state = 'dead' AND attempts = 4", id);
    ck_assert_msg(wait_rows(where, 1, 20), "not dead after 4 attempts");
    long long nid = th_count(&pg, "SELECT max(id) FROM notification_outbox WHERE state = 'dead'");
    sleep_ms(500); /* dead: never posted again */
    ck_assert_int_eq(posts_to("/fail", nid, true), 4);
    /* /metrics counts it */
    struct th_reply m = th_http(&d, "GET", "/metrics", NULL, NULL, 0, NULL);
    ck_assert_int_eq(m.status, 200);
    char line[96];
    snprintf(line, sizeof line, "subsidyd_notifications{state=\"dead\"} %ld\n",
             rows("state = 'dead'"));
    ck_assert_msg(strstr(m.body, line), "%s", m.body);
    ck_assert_ptr_nonnull(strstr(m.body, "subsidyd_notifications{state=\"pending\"}"));
    th_reply_free(&m);
    /* subsidyctl outbox list --state dead shows it */
    char out[320], idt[24];
    snprintf(out, sizeof out, "%s/outbox.json", pg.dir);
    const char *list[] = {"outbox", "list", "--state", "dead", NULL};
    ck_assert_int_eq(ctl(list, out), 0);
    json_t *l = json_load_file(out, 0, NULL);
    ck_assert(json_is_array(l));
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(l, 0), "id")), nid);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(l, 0), "state")), "dead");
    json_decref(l);
    const char *bad[][6] = {{"outbox", "list", "--state", "lost", NULL},
                            {"outbox", "list", "--limit", "0", NULL},
                            {"outbox", "retry", "x", NULL}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_int_eq(ctl(bad[i], NULL), 2);
    /* the receiver mends; the operator posts it again (audited); a row not dead is refused */
    pthread_mutex_lock(&mu);
    fail_accepts = true;
    pthread_mutex_unlock(&mu);
    snprintf(idt, sizeof idt, "%lld", nid);
    const char *retry[] = {"outbox", "retry", idt, NULL};
    ck_assert_int_eq(ctl(retry, NULL), 0);
    snprintf(where, sizeof where, "id = %lld AND state = 'delivered' AND attempts = 1", nid);
    ck_assert_msg(wait_rows(where, 1, 10), "not delivered after the retry");
    ck_assert_int_eq(ctl(retry, NULL), 1);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit WHERE action = 'notification.retry' AND object_id ="
             " '%lld' AND before ->> 'state' = 'dead' AND after ->> 'state' = 'pending'",
             nid);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    webhook_off(hook);
}
END_TEST

START_TEST(a_post_signed_with_another_secret_fails_the_receivers_check)
{
    long long hook = webhook("/good", other_secret_file, "claim.returned");
    int before = posts_to("/good", 0, false), good_before = posts_to("/good", 0, true);
    long long id = taken_claim();
    expect(step(id, "return", RETURN_BODY), 200);
    char where[768];
    snprintf(where, sizeof where,
             "claim_id = %lld AND attempts >= 1 AND last_error = 'webhook %lld:"
             " HTTP 401'",
             id, hook);
    ck_assert_msg(wait_rows(where, 1, 10), "the receiver did not refuse it");
    ck_assert_int_gt(posts_to("/good", 0, false), before);
    ck_assert_int_eq(posts_to("/good", 0, true), good_before); /* none verified */
    snprintf(where, sizeof where, "claim_id = %lld AND state = 'delivered'", id);
    ck_assert_int_eq(rows(where), 0);
    webhook_off(hook);
    /* the webhook list shows no secret, sealed or not */
    char out[320];
    snprintf(out, sizeof out, "%s/webhooks.json", pg.dir);
    const char *list[] = {"webhook", "list", NULL};
    ck_assert_int_eq(ctl(list, out), 0);
    ck_assert(!th_file_contains(out, "secret"));
    ck_assert(!th_file_contains(out, "0123456789abcdef"));
    json_t *hooks = json_load_file(out, 0, NULL);
    json_t *last = json_array_get(hooks, json_array_size(hooks) - 1);
    ck_assert_int_eq(json_integer_value(json_object_get(last, "id")), hook);
    ck_assert(json_is_false(json_object_get(last, "enabled")));
    ck_assert(json_is_string(json_object_get(last, "disabled_at")));
    json_decref(hooks);
    /* and in the database it is sealed */
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM webhook WHERE position('0123456789abcdef'"
                                   "::bytea IN secret_sealed) > 0"),
                     0);
}
END_TEST

START_TEST(a_slow_receiver_never_delays_a_request)
{
    /* the daemon again with a 4 s post timeout, the receiver taking 6 s: a request that waited
     * for a post would take seconds */
    ck_assert_int_eq(th_daemon_stop(&d, SIGTERM), 0);
    th_daemon_start(&d, &pg, slow_args);
    long long hook = webhook("/slow", secret_file, "claim.returned");
    long long id = taken_claim(), other = taken_claim();
    expect(step(id, "return", RETURN_BODY), 200);
    /* the worker is now waiting on /slow (3 s, past its 1 s timeout) again and again */
    char where[768];
    snprintf(where, sizeof where, "claim_id = %lld AND attempts >= 1", id);
    ck_assert(wait_rows(where, 1, 5));
    for (int i = 0; i < 10; i++) {
        struct th_reply r = th_http(&d, "GET", "/v1/me", approver, NULL, 0, NULL);
        ck_assert_int_eq(r.status, 200);
        ck_assert_msg(r.seconds < 1.5, "a request waited %.2f s", r.seconds);
        th_reply_free(&r);
        sleep_ms(100);
    }
    struct th_reply r = step(other, "approve", "{}");
    ck_assert_int_eq(r.status, 200);
    ck_assert_msg(r.seconds < 1.5, "an approval waited %.2f s", r.seconds);
    th_reply_free(&r);
    snprintf(where, sizeof where,
             "claim_id = %lld AND attempts >= 1 AND state = 'pending' AND last_error LIKE"
             " 'webhook %lld: Timeout%%'",
             id, hook);
    if (!wait_rows(where, 1, 20)) {
        char q[256];
        snprintf(q, sizeof q,
                 "SELECT string_agg(id || ' ' || state || ' ' || attempts || ' ' ||"
                 " coalesce(last_error, '-') || ' ' || next_attempt_at, '; ') FROM"
                 " notification_outbox WHERE claim_id IN (%lld, %lld)",
                 id, other);
        char *t = th_sql(&pg, q);
        ck_abort_msg("the timeout did not end the post: %s", t);
    }
    webhook_off(hook);
    ck_assert_int_eq(th_daemon_stop(&d, SIGTERM), 0);
    th_daemon_start(&d, &pg, daemon_args);
}
END_TEST

START_TEST(kill_9_in_the_middle_of_deliveries_loses_no_event)
{
    /* 12 events committed while no webhook is enabled */
    enum { N = 12 };
    long long ids[N];
    char list[N * 24] = "";
    for (int i = 0; i < N; i++) {
        ids[i] = taken_claim();
        expect(step(ids[i], i % 2 ? "return" : "approve", i % 2 ? RETURN_BODY : "{}"), 200);
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%lld", i ? "," : "", ids[i]);
    }
    char where[N * 24 + 160];
    /* (each approval also opened its notice: claim.in_notice, which /pace does not want) */
    snprintf(where, sizeof where, "claim_id IN (%s)" K, list);
    ck_assert_int_eq(rows(where), N);
    long long hook = webhook("/pace", secret_file, "claim.returned,claim.approved");
    /* the daemon killed while it posts (each post takes 300 ms), then started again */
    for (int t = 0; t < 100 && posts_to("/pace", 0, true) < 3; t++)
        sleep_ms(50);
    ck_assert_int_ge(posts_to("/pace", 0, true), 3);
    sleep_ms(150); /* in the middle of one */
    ck_assert_int_eq(th_daemon_stop(&d, SIGKILL), 128 + SIGKILL);
    th_daemon_start(&d, &pg, daemon_args);
    snprintf(where, sizeof where, "claim_id IN (%s) AND state = 'delivered'" K, list);
    ck_assert_msg(wait_rows(where, N, 60), "not every event delivered after the restart");
    /* every committed event reached the receiver, signed; nothing else did; a duplicate is
     * always a committed event's id (the receiver drops it by that id) */
    json_t *events = json_array();
    int duplicates = 0, strangers = 0;
    char sql[N * 24 + 224];
    snprintf(sql, sizeof sql,
             "SELECT string_agg(id::text, ',' ORDER BY id) FROM notification_outbox"
             " WHERE claim_id IN (%s)" K,
             list);
    char *committed = th_sql(&pg, sql);
    for (char *p = committed; *p;) {
        long long e = strtoll(p, &p, 10);
        json_array_append_new(events, json_integer(e));
        int n = posts_to("/pace", e, true);
        ck_assert_msg(n >= 1, "event %lld never arrived", e);
        duplicates += n - 1;
        if (*p == ',')
            p++;
    }
    /* earlier tests' events still pending reach /pace too: each must be a committed row */
    char *all = th_sql(&pg, "SELECT ',' || string_agg(id::text, ',') || ',' FROM"
                            " notification_outbox");
    pthread_mutex_lock(&mu);
    for (int i = 0; i < nposts; i++) {
        char needle[32];
        snprintf(needle, sizeof needle, ",%lld,", posts[i].event_id);
        strangers += strcmp(posts[i].path, "/pace") == 0 && !strstr(all, needle);
    }
    pthread_mutex_unlock(&mu);
    free(all);
    fprintf(stderr, "kill -9: %zu events, %d posts, %d duplicates (same event id), %d others\n",
            json_array_size(events), posts_to("/pace", 0, false), duplicates, strangers);
    ck_assert_int_eq(json_array_size(events), N);
    ck_assert_int_eq(strangers, 0);
    ck_assert_int_le(duplicates, 2); /* at most the post cut by the kill, per worker */
    free(committed);
    json_decref(events);
    webhook_off(hook);
}
END_TEST

START_TEST(two_daemons_share_the_outbox_and_post_each_event_once)
{
    /* 16 events committed while no webhook is enabled, then a second daemon beside the first:
     * both workers take from the outbox at once (SKIP LOCKED and the lease), and with no crash
     * each event reaches the receiver exactly once */
    enum { N = 16 };
    char list[N * 24] = "";
    for (int i = 0; i < N; i++) {
        long long id = taken_claim();
        expect(step(id, "approve", "{}"), 200);
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%lld", i ? "," : "", id);
    }
    struct th_daemon second;
    th_daemon_start(&second, &pg, daemon_args);
    pthread_mutex_lock(&mu);
    pace_ms = 100;
    pthread_mutex_unlock(&mu);
    long long hook = webhook("/pace", secret_file, "claim.approved");
    char where[N * 24 + 160];
    snprintf(where, sizeof where, "claim_id IN (%s) AND state = 'delivered'" K, list);
    bool all = wait_rows(where, N, 60);
    webhook_off(hook);
    ck_assert_int_eq(th_daemon_stop(&second, SIGTERM), 0);
    ck_assert_msg(all, "not every event delivered by the two daemons");
    char sql[N * 24 + 224];
    snprintf(sql, sizeof sql,
             "SELECT string_agg(id::text, ',' ORDER BY id) FROM notification_outbox"
             " WHERE claim_id IN (%s)" K,
             list);
    char *committed = th_sql(&pg, sql);
    int events = 0;
    for (char *p = committed; *p; events++) {
        long long e = strtoll(p, &p, 10);
        ck_assert_msg(posts_to("/pace", e, true) == 1, "event %lld posted %d times", e,
                      posts_to("/pace", e, false));
        if (*p == ',')
            p++;
    }
    free(committed);
    ck_assert_int_eq(events, N);
    ck_assert(th_log_contains(&second, "\"listening\"")); /* it was up all along */
}
END_TEST

START_TEST(a_class_filing_decided_is_an_event_for_the_institution)
{
    long long ids[2];
    for (int i = 0; i < 2; i++) {
        char trainee[19], roster[120], body[1200], key[32];
        th_resident_id(trainee, "330902", 1991, serial++);
        snprintf(roster, sizeof roster, "[{\"id_number\":\"%s\",\"name\":\"李四\"}]", trainee);
        th_class_body(body, sizeof body, "6-18-02-04", "2027-03-01", 30, roster);
        snprintf(key, sizeof key, "n-class-%d", keys++);
        ids[i] = th_class_file(&d, inst, key, body);
        ck_assert_int_gt(ids[i], 0);
    }
    char path[96], key[32], where[512];
    snprintf(where, sizeof where, "class_id IN (%lld, %lld)", ids[0], ids[1]);
    ck_assert_int_eq(rows(where), 0); /* a filing is no event */
    snprintf(path, sizeof path, "/v1/classes/%lld/accept", ids[0]);
    snprintf(key, sizeof key, "n-class-%d", keys++);
    expect(th_write(&d, "POST", path, approver, key, "{}"), 200);
    snprintf(path, sizeof path, "/v1/classes/%lld/reject", ids[1]);
    snprintf(key, sizeof key, "n-class-%d", keys++);
    expect(th_write(&d, "POST", path, approver, key,
                    "{\"reason_codes\":[\"teachers_unqualified\"],\"reason\":\"教师无证\"}"),
           200);
    for (int i = 0; i < 2; i++) {
        snprintf(where, sizeof where,
                 "class_id = %lld AND kind = '%s' AND recipient_role = 'institution'"
                 " AND recipient_subject = '%s' AND EXISTS (SELECT 1 FROM class_event e"
                 " WHERE e.id = step_id AND e.at = created_at)",
                 ids[i], i ? "class.rejected" : "class.accepted", inst_code);
        ck_assert_int_eq(rows(where), 1);
    }
}
END_TEST

START_TEST(webhook_add_refuses_bad_arguments)
{
    char short_file[320];
    snprintf(short_file, sizeof short_file, "%s/short.secret", pg.dir);
    FILE *f = fopen(short_file, "w");
    ck_assert_ptr_nonnull(f);
    fputs("too-short\n", f);
    fclose(f);
    long before = th_count(&pg, "SELECT count(*) FROM webhook");
    const char *bad[][10] = {
        {"webhook", "add", "--url", "ftp://127.0.0.1/x", "--secret-file", secret_file, NULL},
        {"webhook", "add", "--url", "http://127.0.0.1/x", NULL},
        {"webhook", "add", "--url", "http://127.0.0.1/x", "--secret-file", short_file, NULL},
        {"webhook", "add", "--url", "http://127.0.0.1/x", "--secret-file", "/nonexistent", NULL},
        {"webhook", "add", "--url", "http://127.0.0.1/x", "--secret-file", secret_file, "--events",
         "claim.approved,claim.lost", NULL},
        {"webhook", "disable", "0", NULL}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(ctl(bad[i], NULL) == 2, "case %zu", i);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM webhook"), before);
    const char *gone[] = {"webhook", "disable", "999999", NULL};
    ck_assert_int_eq(ctl(gone, NULL), 1);
    /* each add and disable is audited, without the secret */
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'webhook.add'"),
                     th_count(&pg, "SELECT count(*) FROM webhook"));
    ck_assert_int_ge(th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'webhook.disable'"),
                     5);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit a WHERE action = 'webhook.disable'"
                                   " AND NOT EXISTS (SELECT 1 FROM webhook w WHERE w.id::text ="
                                   " a.object_id AND NOT w.enabled AND a.after ->> 'enabled' ="
                                   " 'false')"),
                     0);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action LIKE 'webhook.%'"
                                   " AND after::text LIKE '%0123456789abcdef%'"),
                     0);
}
END_TEST

static void write_file(char *path, size_t len, const char *name, const char *text)
{
    snprintf(path, len, "%s/%s", pg.dir, name);
    FILE *f = fopen(path, "w");
    if (!f || fprintf(f, "%s\n", text) < 0 || fclose(f) != 0)
        exit(99);
}

int main(void)
{
    if (sodium_init() < 0)
        return 99;
    struct MHD_Daemon *receiver = receiver_start();
    if (!receiver || !receiver_port)
        return 99;
    th_start(&pg, &d, daemon_args);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_token(&pg, "approver", NULL, "330902", approver);
    write_file(secret_file, sizeof secret_file, "webhook.secret", SECRET);
    write_file(other_secret_file, sizeof other_secret_file, "other.secret", OTHER_SECRET);
    th_credit_code(inst_code, "330900", 61);
    th_token(&pg, "institution", inst_code, NULL, inst);
    if (!th_electrician_catalog(&d, admin) ||
        !th_institution(&d, admin, inst_code, "330902", "normal") ||
        !th_class_catalog(&d, admin, "zhoushan-2019", 2027, "6-18-02-04", "level4")) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("notifications");
    TCase *tc = tcase_create("outbox");
    tcase_set_timeout(tc, 150);
    tcase_add_checked_fixture(tc, no_webhooks, NULL);
    tcase_add_test(tc,
                   steps_write_their_events_in_their_transaction_and_are_delivered_after_retries);
    tcase_add_test(tc, a_receiver_that_always_fails_makes_it_dead_and_retry_posts_it_again);
    tcase_add_test(tc, a_post_signed_with_another_secret_fails_the_receivers_check);
    tcase_add_test(tc, a_slow_receiver_never_delays_a_request);
    tcase_add_test(tc, kill_9_in_the_middle_of_deliveries_loses_no_event);
    tcase_add_test(tc, two_daemons_share_the_outbox_and_post_each_event_once);
    tcase_add_test(tc, a_class_filing_decided_is_an_event_for_the_institution);
    tcase_add_test(tc, webhook_add_refuses_bad_arguments);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    int rc = th_finish(&pg, &d);
    MHD_stop_daemon(receiver);
    return failed || rc != 0 ? 1 : 0;
}
