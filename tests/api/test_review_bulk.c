/* API tier: bulk decisions (POST /v1/review/bulk; issue 13 "Bulk approve / reject";
 * api/openapi.yaml bulkReview).  Zhoushan workers' certificate training claims, approvers of the
 * district, a colleague and one of another city.  Asserted: each item judged on its own by the
 * single decision's step (a waiting claim taken first, a claim held by another or decided before
 * refused by name, another region's or an unknown claim 404), one answer per item in the order
 * asked, the database's states, timeline and audit rows; the request idempotent as a whole (a
 * replay is the same reply byte for byte with nothing done twice, the key with another request
 * 409); a daemon killed half-way through a bulk of 60, whose replay decides only the rest and
 * every claim exactly once; every malformed body and the roles that may not.  And the separation
 * of duties (PUT /v1/admin/accounts/{id}/interests): an approver whose account declares their own
 * person and employer cannot take or decide a claim about themselves or naming their employer,
 * singly or in bulk (403 review_own_interest), while another claim is theirs to decide. */
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
static struct th_daemon d;
static char admin[64], approver[64], colleague[64], elsewhere[64];
static int keys;

static char last_worker[19]; /* the ID number of the last claim's worker */

/* A new Dinghai worker's submitted electrician claim: its id. */
static long long waiting_claim(void)
{
    static unsigned serial = 400;
    return th_electrician_claim(&d, &pg, 1990, serial++, "B", last_worker);
}

static struct th_reply bulk(const char *token, const char *key, const char *body)
{
    return th_write(&d, "POST", "/v1/review/bulk", token, key, body);
}

static struct th_reply single(long long id, const char *step, const char *token)
{
    char path[64], key[32];
    snprintf(path, sizeof path, "/v1/claims/%lld/%s", id, step);
    snprintf(key, sizeof key, "single-%d", keys++);
    return th_write(&d, "POST", path, token, key, "{}");
}

static long count_of(const char *fmt, long long id)
{
    char sql[256];
    snprintf(sql, sizeof sql, fmt, id);
    return th_count(&pg, sql);
}

static const char *state_of(long long id)
{
    static char state[32];
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT state FROM claim WHERE id = %lld", id);
    char *v = th_sql(&pg, sql);
    snprintf(state, sizeof state, "%s", v ? v : "");
    free(v);
    return state;
}

/* Item i of a bulk reply: its claim id, status and (refused) problem code. */
static void expect_item(const json_t *reply, size_t i, long long id, long status, long code)
{
    const json_t *item = json_array_get(json_object_get(reply, "items"), i);
    ck_assert_msg(item, "no item %zu", i);
    ck_assert_int_eq(json_integer_value(json_object_get(item, "claim_id")), id);
    ck_assert_int_eq(json_integer_value(json_object_get(item, "status")), status);
    const json_t *problem = json_object_get(item, "problem");
    if (code) {
        ck_assert_int_eq(json_integer_value(json_object_get(problem, "code")), code);
        ck_assert_ptr_null(json_object_get(item, "claim"));
    } else {
        ck_assert_ptr_null(problem);
    }
}

START_TEST(each_item_is_judged_on_its_own)
{
    long long waiting = waiting_claim(), held = waiting_claim(), decided = waiting_claim(),
              mine = waiting_claim();
    struct th_reply r = single(held, "take", colleague);
    ck_assert_int_eq(r.status, 200);
    th_reply_free(&r);
    r = single(decided, "take", approver);
    th_reply_free(&r);
    r = single(decided, "approve", approver);
    ck_assert_int_eq(r.status, 200);
    th_reply_free(&r);
    r = single(mine, "take", approver);
    th_reply_free(&r);
    char body[256];
    snprintf(
        body, sizeof body,
        "{\"action\":\"approve\",\"claim_ids\":[%lld,%lld,%lld,%lld,%lld],\"reason\":\"批量\"}",
        waiting, held, decided, 99999999LL, mine);
    r = bulk(approver, "bulk-1", body);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "count")), 5);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "decided")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "refused")), 3);
    expect_item(r.json, 0, waiting, 200, 0);
    expect_item(r.json, 1, held, 409, 4301);    /* claim_assigned: the colleague holds it */
    expect_item(r.json, 2, decided, 409, 4004); /* claim_state_conflict: approved before */
    expect_item(r.json, 3, 99999999LL, 404, 1000);
    expect_item(r.json, 4, mine, 200, 0);
    const json_t *claim =
        json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "claim");
    ck_assert_str_eq(json_string_value(json_object_get(claim, "state")), "in_notice");
    ck_assert_int_eq(json_integer_value(json_object_get(claim, "amount_fen")), 140000);
    th_reply_free(&r);
    /* the database: the waiting claim taken then approved (two steps, two audit rows), the one
     * already held by the approver approved, the others as they were */
    ck_assert_str_eq(state_of(waiting), "in_notice");
    ck_assert_str_eq(state_of(mine), "in_notice");
    ck_assert_str_eq(state_of(held), "in_review");
    ck_assert_int_eq(count_of("SELECT count(*) FROM audit WHERE object_kind = 'claim' AND"
                              " object_id = '%lld' AND action IN ('claim.take', 'claim.approve')",
                              waiting),
                     2);
    ck_assert_int_eq(count_of("SELECT count(*) FROM audit WHERE object_kind = 'claim' AND"
                              " object_id = '%lld' AND action = 'claim.approve'",
                              mine),
                     1);
    ck_assert_int_eq(count_of("SELECT count(*) FROM audit WHERE object_kind = 'claim' AND"
                              " object_id = '%lld' AND action = 'claim.approve'",
                              held),
                     0);
    /* an approver of another city: the claim is not theirs to see */
    long long other = waiting_claim();
    snprintf(body, sizeof body,
             "{\"action\":\"reject\",\"claim_ids\":[%lld],\"reason\":\"x\","
             "\"reason_codes\":[\"other\"]}",
             other);
    r = bulk(elsewhere, "bulk-2", body);
    ck_assert_int_eq(r.status, 200);
    expect_item(r.json, 0, other, 404, 1000);
    th_reply_free(&r);
    ck_assert_str_eq(state_of(other), "submitted");
    /* a bulk rejection gives the reasons to each claim and its quota place back */
    r = bulk(approver, "bulk-3", body);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    expect_item(r.json, 0, other, 200, 0);
    th_reply_free(&r);
    ck_assert_str_eq(state_of(other), "rejected");
    ck_assert_int_eq(count_of("SELECT count(*) FROM claim_event WHERE claim_id = %lld AND"
                              " action = 'reject' AND detail->'reason_codes' ? 'other'",
                              other),
                     1);
}
END_TEST

START_TEST(a_replay_is_the_same_answer_and_does_nothing_twice)
{
    long long a = waiting_claim(), b = waiting_claim();
    char body[160], sql[160];
    snprintf(body, sizeof body, "{\"action\":\"approve\",\"claim_ids\":[%lld,%lld,%lld]}", a, b,
             a + 100000);
    struct th_reply first = bulk(approver, "bulk-replay", body);
    ck_assert_msg(first.status == 200, "%ld %s", first.status, first.body);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM claim_event WHERE claim_id IN (%lld, %lld)", a,
             b);
    long events = th_count(&pg, sql);
    struct th_reply again = bulk(approver, "bulk-replay", body);
    ck_assert_int_eq(again.status, 200);
    ck_assert_str_eq(again.body, first.body);
    ck_assert_ptr_nonnull(th_header(&again, "Idempotent-Replayed"));
    ck_assert_ptr_null(th_header(&first, "Idempotent-Replayed"));
    ck_assert_int_eq(th_count(&pg, sql), events);
    th_reply_free(&again);
    th_reply_free(&first);
    /* the same key with another request: refused whole, nothing done */
    long long c = waiting_claim();
    snprintf(body, sizeof body, "{\"action\":\"approve\",\"claim_ids\":[%lld,%lld]}", a, c);
    struct th_reply r = bulk(approver, "bulk-replay", body);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "code")), 1014);
    th_reply_free(&r);
    ck_assert_str_eq(state_of(c), "submitted");
    /* a single decision's key is another request too */
    char path[64];
    snprintf(path, sizeof path, "/v1/claims/%lld/take", c);
    r = th_write(&d, "POST", path, approver, "single-known", "{}");
    ck_assert_int_eq(r.status, 200);
    th_reply_free(&r);
    r = bulk(approver, "single-known", body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "code")), 1014);
    th_reply_free(&r);
}
END_TEST

#define HALF_WAY 60
static long long many[HALF_WAY];
static char many_body[HALF_WAY * 24 + 64];
static struct th_daemon target;
static struct th_reply killed_reply;

static void *send_bulk(void *arg)
{
    (void)arg;
    killed_reply = th_write(&target, "POST", "/v1/review/bulk", approver, "bulk-half", many_body);
    return NULL;
}

START_TEST(a_bulk_killed_half_way_is_finished_by_its_replay)
{
    size_t used =
        (size_t)snprintf(many_body, sizeof many_body, "{\"action\":\"approve\",\"claim_ids\":[");
    for (int i = 0; i < HALF_WAY; i++) {
        many[i] = waiting_claim();
        used += (size_t)snprintf(many_body + used, sizeof many_body - used, "%s%lld", i ? "," : "",
                                 many[i]);
    }
    snprintf(many_body + used, sizeof many_body - used, "]}");
    char in_list[HALF_WAY * 22 + 8] = "";
    for (int i = 0; i < HALF_WAY; i++)
        snprintf(in_list + strlen(in_list), sizeof in_list - strlen(in_list), "%s%lld",
                 i ? "," : "", many[i]);
    char approved_sql[sizeof in_list + 96];
    snprintf(approved_sql, sizeof approved_sql,
             "SELECT count(*) FROM claim WHERE state = 'in_notice' AND id IN (%s)", in_list);
    target = d;
    pthread_t t;
    pthread_create(&t, NULL, send_bulk, NULL);
    /* kill -9 once a few items are decided, however slow the machine (up to 60 s) */
    long before = 0;
    for (int waited = 0; (before = th_count(&pg, approved_sql)) < 3 && waited < 12000; waited++) {
        struct timespec ts = {0, 5000000L};
        nanosleep(&ts, NULL);
    }
    ck_assert_int_eq(th_daemon_stop(&d, SIGKILL), 128 + SIGKILL);
    pthread_join(t, NULL);
    long at_kill = th_count(&pg, approved_sql);
    th_reply_free(&killed_reply);
    ck_assert_int_ge(at_kill, 3);
    ck_assert_msg(at_kill < HALF_WAY, "all %d decided before the kill", HALF_WAY);
    th_daemon_start(&d, &pg, NULL);
    /* the replay answers every item; each claim approved once */
    struct th_reply r = th_write(&d, "POST", "/v1/review/bulk", approver, "bulk-half", many_body);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "decided")), HALF_WAY);
    for (int i = 0; i < HALF_WAY; i++)
        expect_item(r.json, (size_t)i, many[i], 200, 0);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, approved_sql), HALF_WAY);
    char events_sql[sizeof in_list + 128];
    snprintf(events_sql, sizeof events_sql,
             "SELECT count(*) FROM claim_event WHERE action = 'approve' AND claim_id IN (%s)",
             in_list);
    ck_assert_int_eq(th_count(&pg, events_sql), HALF_WAY);
    snprintf(events_sql, sizeof events_sql,
             "SELECT count(*) FROM claim_event WHERE action = 'take' AND claim_id IN (%s)",
             in_list);
    ck_assert_int_eq(th_count(&pg, events_sql), HALF_WAY);
}
END_TEST

START_TEST(malformed_bodies_and_other_roles_are_refused)
{
    char too_many[101 * 4 + 64];
    size_t used =
        (size_t)snprintf(too_many, sizeof too_many, "{\"action\":\"approve\",\"claim_ids\":[");
    for (int i = 1; i <= 101; i++)
        used +=
            (size_t)snprintf(too_many + used, sizeof too_many - used, "%s%d", i > 1 ? "," : "", i);
    snprintf(too_many + used, sizeof too_many - used, "]}");
    const struct {
        const char *body, *field;
    } bad[] = {
        {"{}", "action"},
        {"{\"action\":\"approve\"}", "claim_ids"},
        {"{\"action\":\"take\",\"claim_ids\":[1]}", "action"},
        {"{\"action\":\"approve\",\"claim_ids\":[]}", "claim_ids"},
        {"{\"action\":\"approve\",\"claim_ids\":[1,2,1]}", "claim_ids[2]"},
        {"{\"action\":\"approve\",\"claim_ids\":[0]}", "claim_ids[0]"},
        {"{\"action\":\"approve\",\"claim_ids\":[\"1\"]}", "claim_ids[0]"},
        {"{\"action\":\"approve\",\"claim_ids\":1}", "claim_ids"},
        {too_many, "claim_ids"},
        {"{\"action\":\"reject\",\"claim_ids\":[1],\"reason\":\"x\"}", "reason_codes"},
        {"{\"action\":\"reject\",\"claim_ids\":[1],\"reason_codes\":[\"other\"]}", "reason"},
        {"{\"action\":\"reject\",\"claim_ids\":[1],\"reason\":\"x\",\"reason_codes\":[\"why\"]}",
         "reason_codes[0]"},
        {"{\"action\":\"approve\",\"claim_ids\":[1],\"reason_codes\":[\"other\"]}", "reason_codes"},
        {"{\"action\":\"approve\",\"claim_ids\":[1],\"amount_fen\":5}", "amount_fen"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char key[32];
        snprintf(key, sizeof key, "bad-%zu", i);
        struct th_reply r = bulk(approver, key, bad[i].body);
        /* a member that is not allowed at all is 400 unknown_fields, as everywhere */
        long want = strstr(bad[i].body, "amount_fen") || i == 12 ? 400 : 422;
        ck_assert_msg(r.status == want, "%zu: %ld %s", i, r.status, r.body);
        ck_assert_msg(th_problem_has_field(&r, bad[i].field), "%zu: %s", i, r.body);
        th_reply_free(&r);
    }
    /* without a key: nothing done */
    long long id = waiting_claim();
    char body[96];
    snprintf(body, sizeof body, "{\"action\":\"approve\",\"claim_ids\":[%lld]}", id);
    const char *json_only[] = {"Content-Type: application/json", NULL};
    struct th_reply r = th_http(&d, "POST", "/v1/review/bulk", approver, body, -1, json_only);
    ck_assert_int_eq(r.status, 400);
    th_reply_free(&r);
    ck_assert_str_eq(state_of(id), "submitted");
    /* only approvers */
    const char *const others[] = {admin};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        r = bulk(others[i], "role-1", body);
        ck_assert_int_eq(r.status, 403);
        th_reply_free(&r);
    }
    ck_assert_str_eq(state_of(id), "submitted");
}
END_TEST

#define OWN_EMPLOYER "91330900MA28K1234U"

START_TEST(nobody_decides_their_own_or_their_employers_claim)
{
    /* an approver account of the district, declaring its holder's person and employer */
    struct th_reply r = th_write(&d, "POST", "/v1/admin/accounts", admin, "acct-1",
                                 "{\"name\":\"审核员赵某\",\"role\":\"approver\","
                                 "\"regions\":[\"330902\"]}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    long long account = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    long long own = waiting_claim(), employers = waiting_claim(), other = waiting_claim();
    /* the approver is the worker of the last claim, `other` */
    char person[19];
    snprintf(person, sizeof person, "%s", last_worker);
    /* what the state holds: the second claim names the approver's employer */
    char sql[160], path[96], body[256];
    snprintf(sql, sizeof sql, "UPDATE claim SET employer = '%s' WHERE id = %lld", OWN_EMPLOYER,
             employers);
    free(th_sql(&pg, sql));
    snprintf(path, sizeof path, "/v1/admin/accounts/%lld/interests", account);
    snprintf(body, sizeof body, "{\"id_number\":\"%s\",\"employer\":\"%s\"}", person, OWN_EMPLOYER);
    r = th_write(&d, "PUT", path, admin, "interests-1", body);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    const json_t *interests = json_object_get(r.json, "interests");
    ck_assert_str_eq(json_string_value(json_object_get(interests, "employer")), OWN_EMPLOYER);
    ck_assert_ptr_null(strstr(r.body, person)); /* shown masked only */
    th_reply_free(&r);
    ck_assert_int_eq(count_of("SELECT count(*) FROM audit WHERE action = 'account.interests' AND"
                              " object_id = '%lld'",
                              account),
                     1);
    snprintf(path, sizeof path, "/v1/admin/accounts/%lld/tokens", account);
    r = th_write(&d, "POST", path, admin, "acct-token-1", "{}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    char token[96];
    snprintf(token, sizeof token, "%s", json_string_value(json_object_get(r.json, "token")));
    th_reply_free(&r);
    /* the claim about the approver themselves and the one naming their employer: no step,
     * singly or in bulk */
    const long long mine[] = {other, employers};
    for (size_t i = 0; i < 2; i++) {
        r = single(mine[i], "take", token);
        ck_assert_msg(r.status == 403, "%ld %s", r.status, r.body);
        ck_assert_int_eq(json_integer_value(json_object_get(r.json, "code")), 4330);
        th_reply_free(&r);
    }
    snprintf(body, sizeof body, "{\"action\":\"approve\",\"claim_ids\":[%lld,%lld,%lld]}", other,
             employers, own);
    r = bulk(token, "bulk-duties", body);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    expect_item(r.json, 0, other, 403, 4330);
    expect_item(r.json, 1, employers, 403, 4330);
    expect_item(r.json, 2, own, 200, 0); /* nothing to do with them: theirs to decide */
    th_reply_free(&r);
    ck_assert_str_eq(state_of(other), "submitted");
    ck_assert_str_eq(state_of(employers), "submitted");
    ck_assert_str_eq(state_of(own), "in_notice");
    /* a colleague decides them */
    r = single(other, "take", approver);
    ck_assert_int_eq(r.status, 200);
    th_reply_free(&r);
    /* the refusals of the declaration */
    const struct {
        const char *path, *token, *body;
        long status;
    } bad[] = {
        {"/v1/admin/accounts/%lld/interests", admin, "{\"id_number\":\"330902199001010000\"}", 422},
        {"/v1/admin/accounts/%lld/interests", admin, "{\"employer\":\"91330900MA28K1234A\"}", 422},
        {"/v1/admin/accounts/%lld/interests", admin, "{\"role\":\"admin\"}", 400},
        {"/v1/admin/accounts/%lld/interests", approver, "{}", 403},
        {"/v1/admin/accounts/9%lld/interests", admin, "{}", 404},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char p[96], key[32];
        snprintf(p, sizeof p, bad[i].path, account);
        snprintf(key, sizeof key, "interests-bad-%zu", i);
        r = th_write(&d, "PUT", p, bad[i].token, key, bad[i].body);
        ck_assert_msg(r.status == bad[i].status, "%zu: %ld %s", i, r.status, r.body);
        th_reply_free(&r);
    }
    /* only an approver's account declares interests */
    r = th_write(&d, "POST", "/v1/admin/accounts", admin, "acct-2",
                 "{\"name\":\"管理员\",\"role\":\"admin\"}");
    ck_assert_int_eq(r.status, 201);
    snprintf(path, sizeof path, "/v1/admin/accounts/%lld/interests",
             (long long)json_integer_value(json_object_get(r.json, "id")));
    th_reply_free(&r);
    r = th_write(&d, "PUT", path, admin, "interests-admin", "{}");
    ck_assert_msg(r.status == 409, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "code")), 3001);
    th_reply_free(&r);
    /* cleared: the approver may act on their employer's claim again (the declaration is what
     * the check reads, in the decision's transaction) */
    snprintf(path, sizeof path, "/v1/admin/accounts/%lld/interests", account);
    r = th_write(&d, "PUT", path, admin, "interests-clear", "{\"employer\":null}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    r = single(employers, "take", token);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_token(&pg, "approver", NULL, "330902", approver);
    th_token(&pg, "approver", NULL, "330902", colleague);
    th_token(&pg, "approver", NULL, "330212", elsewhere);
    if (!th_electrician_catalog(&d, admin)) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("review_bulk");
    TCase *tc = tcase_create("bulk");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, each_item_is_judged_on_its_own);
    tcase_add_test(tc, a_replay_is_the_same_answer_and_does_nothing_twice);
    tcase_add_test(tc, malformed_bodies_and_other_roles_are_refused);
    tcase_add_test(tc, a_bulk_killed_half_way_is_finished_by_its_replay);
    tcase_add_test(tc, nobody_decides_their_own_or_their_employers_claim);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
