/* API tier: appeal (复议) of a rejected claim (POST /v1/claims/{id}/appeal, /uphold, and
 * /approve of an appealed claim; issue 13 "Decisions"; api/openapi.yaml appealClaim,
 * upholdClaim).  A Zhoushan worker's certificate training claim is rejected by one district
 * approver; the worker appeals it naming the rejection; it waits in the queue as appealed with
 * its appeal shown; the approver who rejected it may neither take, approve nor uphold it (403,
 * in bulk too); a colleague overturns it (judged again, the quota place taken again) or upholds
 * the rejection (final: a second appeal 409).  Every refusal of the appeal: not rejected,
 * appealed once already, the period passed (the daemon runs with --appeal-days 5 and the
 * rejection is moved back by SQL), a decision that is not the claim's rejection, a reason
 * missing or too long, another owner's claim, another role.  Timeline, audit rows and the quota
 * asserted in the database. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], worker[64], worker_id[19], other[64], other_id[19], approver[64],
    colleague[64], city[64];
static long long worker_tid, approver_tid, colleague_tid;
static int keys;

#define ELECTRICIAN                                                                                \
    "{\"occupation\":\"6-18-02-09\",\"occupation_name\":\"电工\",\"level\":\"level3\""

static void new_worker(void)
{
    static unsigned serial = 41;
    th_resident_id(worker_id, "330902", 1991, serial++);
    th_token(&pg, "applicant", worker_id, NULL, worker);
    worker_tid = th_count(&pg, "SELECT max(id) FROM token");
    ck_assert(th_profile(&d, worker, worker_id, "330902"));
}

static long long submit(const char *number)
{
    char body[768], key[32];
    snprintf(body, sizeof body,
             "{\"region\":\"330902\",\"submit\":true,\"claim\":{\"kind\":"
             "\"certificate_training\",\"occupation\":\"6-18-02-09\",\"level\":\"level3\","
             "\"certificate\":{\"kind\":\"qualification\",\"number\":\"%s\",\"issue_date\":"
             "\"2020-06-30\"},\"actual_cost_fen\":200000}}",
             number);
    snprintf(key, sizeof key, "claim-%d", keys++);
    struct th_reply r = th_write(&d, "POST", "/v1/claims", worker, key, body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    long long id = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    return id;
}

static long count_of(const char *fmt, long long id)
{
    char sql[320];
    snprintf(sql, sizeof sql, fmt, id);
    return th_count(&pg, sql);
}

static long quota_used(void)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT coalesce(sum(q.used), 0) FROM claim_quota q JOIN person p ON p.id ="
             " q.person_id JOIN token t ON t.subject = p.owner_subject WHERE t.id = %lld",
             worker_tid);
    return th_count(&pg, sql);
}

/* The claim as its owner (or token) reads it; the caller decrefs. */
static json_t *claim_of(long long id, const char *token)
{
    char path[64];
    snprintf(path, sizeof path, "/v1/claims/%lld", id);
    struct th_reply r = th_http(&d, "GET", path, token, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    json_t *c = json_incref(r.json);
    th_reply_free(&r);
    return c;
}

/* The last event of action on the claim's timeline. */
static json_t *event_of(json_t *claim, const char *action)
{
    json_t *t = json_object_get(claim, "timeline"), *e, *found = NULL;
    size_t i;
    json_array_foreach(t, i, e) if (strcmp(json_string_value(json_object_get(e, "action")),
                                           action) == 0) found = e;
    return found;
}

/* Submitted, taken and rejected by the approver: the claim's id, *rejection its event id. */
static long long rejected(const char *number, long long *rejection)
{
    long long id = submit(number);
    th_expect(th_claim_step(&d, id, "take", approver, "{}", NULL), 200, 0, "in_review");
    th_expect(th_claim_step(
                  &d, id, "reject", approver,
                  "{\"reason_codes\":[\"documents_false\"],\"reason\":\"证书照片不清晰\"}", NULL),
              200, 0, "rejected");
    json_t *c = claim_of(id, worker);
    *rejection = json_integer_value(json_object_get(event_of(c, "reject"), "id"));
    ck_assert_int_gt(*rejection, 0);
    json_decref(c);
    return id;
}

static struct th_reply appeal(long long id, const char *token, long long decision, const char *key)
{
    char body[256];
    snprintf(body, sizeof body, "{\"decision\":%lld,\"reason\":\"证书照片已重新上传，请复核\"}",
             decision);
    return th_claim_step(&d, id, "appeal", token, body, key);
}

/* The appealed claim's item in token's queue (state=appealed), or NULL; the caller decrefs. */
static json_t *queue_item(long long id, const char *token)
{
    struct th_reply r =
        th_http(&d, "GET", "/v1/review/claims?state=appealed&limit=200", token, NULL, 0, NULL);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    json_t *items = json_object_get(r.json, "items"), *it, *found = NULL;
    size_t i;
    json_array_foreach(items, i, it) if (json_integer_value(json_object_get(it, "id")) == id)
        found = json_incref(it);
    long appealed = json_integer_value(json_object_get(
        json_object_get(json_object_get(r.json, "counts"), "by_state"), "appealed"));
    ck_assert_int_eq(appealed, json_array_size(items));
    th_reply_free(&r);
    return found;
}

START_TEST(an_appeal_is_overturned_by_another_approver)
{
    long long decision, id = rejected("A-1", &decision);
    ck_assert_int_eq(quota_used(), 0); /* the rejection gave the place back */
    /* the owner sees the appeal is possible, until when */
    json_t *c = claim_of(id, worker), *a = json_object_get(c, "appeal");
    ck_assert_str_eq(json_string_value(json_object_get(a, "stage")), "possible");
    ck_assert(json_is_string(json_object_get(a, "last_day")));
    json_decref(c);
    struct th_reply r = appeal(id, worker, decision, "appeal-once");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "appealed");
    ck_assert(json_is_string(json_object_get(r.json, "review_due")));
    struct th_reply again = appeal(id, worker, decision, "appeal-once");
    ck_assert_int_eq(again.status, 200);
    ck_assert_str_eq(again.body, r.body);
    th_reply_free(&again);
    th_reply_free(&r);
    ck_assert_int_eq(quota_used(), 0); /* appealed is not live */
    /* in the queue: the appeal, its reason and the rejection's codes; who rejected it says so */
    json_t *item = queue_item(id, colleague);
    ck_assert_ptr_nonnull(item);
    a = json_object_get(item, "appeal");
    ck_assert(json_is_false(json_object_get(a, "rejected_by_you")));
    ck_assert_str_eq(json_string_value(json_object_get(a, "reason")), "证书照片已重新上传，请复核");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(a, "reason_codes"), 0)),
                     "documents_false");
    ck_assert(json_is_string(json_object_get(a, "filed_at")));
    json_decref(item);
    item = queue_item(id, approver);
    ck_assert(json_is_true(json_object_get(json_object_get(item, "appeal"), "rejected_by_you")));
    json_decref(item);
    /* the default queue (no state filter) has it too */
    r = th_http(&d, "GET", "/v1/review/claims?limit=200", colleague, NULL, 0, NULL);
    char needle[48];
    snprintf(needle, sizeof needle, "{\"id\":%lld,\"state\":\"appealed\"", id);
    ck_assert_ptr_nonnull(strstr(r.body, needle));
    th_reply_free(&r);
    /* the approver who rejected it may not act on its appeal: take, approve, uphold */
    th_expect(th_claim_step(&d, id, "take", approver, "{}", NULL), 403, 4316, NULL);
    th_expect(th_claim_step(&d, id, "approve", approver, "{}", NULL), 403, 4316, NULL);
    th_expect(th_claim_step(&d, id, "uphold", approver, "{\"reason\":\"维持\"}", NULL), 403, 4316,
              NULL);
    ck_assert_int_eq(count_of("SELECT count(*) FROM claim WHERE id = %lld AND state = 'appealed'"
                              " AND assigned_token IS NULL",
                              id),
                     1);
    /* a colleague takes it (the state stays) and overturns it: judged again, approved, the
     * quota place taken again */
    th_expect(th_claim_step(&d, id, "take", colleague, "{}", NULL), 200, 0, "appealed");
    th_expect(th_claim_step(&d, id, "approve", city, "{}", NULL), 409, 4301,
              NULL); /* held by the colleague */
    r = th_claim_step(&d, id, "approve", colleague, "{}", NULL);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "in_notice");
    ck_assert(json_is_true(json_object_get(json_object_get(r.json, "decision"), "eligible")));
    th_reply_free(&r);
    ck_assert_int_eq(quota_used(), 1);
    /* timeline and audit: the appellant and the deciding approver */
    c = claim_of(id, worker);
    json_t *e = event_of(c, "appeal");
    ck_assert_str_eq(json_string_value(json_object_get(e, "actor_role")), "applicant");
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(e, "detail"), "decision")),
                     decision);
    e = event_of(c, "approve");
    ck_assert_str_eq(json_string_value(json_object_get(e, "from_state")), "appealed");
    ck_assert_str_eq(json_string_value(json_object_get(e, "actor_role")), "approver");
    a = json_object_get(c, "appeal");
    ck_assert_str_eq(json_string_value(json_object_get(a, "stage")), "decided");
    ck_assert_str_eq(json_string_value(json_object_get(a, "outcome")), "overturned");
    ck_assert(json_is_string(json_object_get(a, "filed_at")));
    ck_assert(json_is_string(json_object_get(a, "decided_at")));
    ck_assert(json_is_null(json_object_get(a, "last_day")));
    json_decref(c);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit WHERE object_kind = 'claim' AND object_id = '%lld'"
             " AND action = 'claim.appeal' AND actor = %lld",
             id, worker_tid);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit WHERE object_kind = 'claim' AND object_id = '%lld'"
             " AND action = 'claim.approve' AND actor = %lld",
             id, colleague_tid);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    /* the refusals wrote nothing */
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM claim_event WHERE claim_id = %lld AND actor = %lld", id,
             approver_tid);
    ck_assert_int_eq(th_count(&pg, sql), 2); /* take and reject, nothing of the appeal */
}
END_TEST

START_TEST(an_upheld_rejection_is_final)
{
    long long decision, id = rejected("A-2", &decision);
    th_expect(appeal(id, worker, decision, NULL), 200, 0, "appealed");
    th_expect(th_claim_step(&d, id, "uphold", colleague, "{}", NULL), 422, 1009,
              NULL); /* the reason */
    th_expect(
        th_claim_step(&d, id, "uphold", colleague, "{\"reason\":\"维持\",\"amount_fen\":1}", NULL),
        400, 0, NULL);
    th_expect(th_claim_step(&d, id, "uphold", worker, "{\"reason\":\"维持\"}", NULL), 403, 0, NULL);
    struct th_reply r = th_claim_step(&d, id, "uphold", colleague,
                                      "{\"reason\":\"证书与记录不符，维持原决定\"}", "uphold-once");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "rejected");
    struct th_reply again = th_claim_step(
        &d, id, "uphold", colleague, "{\"reason\":\"证书与记录不符，维持原决定\"}", "uphold-once");
    ck_assert_str_eq(again.body, r.body);
    th_reply_free(&again);
    th_reply_free(&r);
    th_expect(th_claim_step(&d, id, "uphold", colleague, "{\"reason\":\"维持\"}", NULL), 409, 4004,
              NULL);
    ck_assert_int_eq(quota_used(), 0);
    /* final: a second appeal is refused, whatever the decision named */
    th_expect(appeal(id, worker, decision, NULL), 409, 4314, NULL);
    json_t *c = claim_of(id, worker), *a = json_object_get(c, "appeal");
    ck_assert_str_eq(json_string_value(json_object_get(a, "stage")), "decided");
    ck_assert_str_eq(json_string_value(json_object_get(a, "outcome")), "upheld");
    json_t *e = event_of(c, "uphold");
    ck_assert_str_eq(json_string_value(json_object_get(e, "reason")), "证书与记录不符，维持原决定");
    ck_assert_str_eq(json_string_value(json_object_get(e, "from_state")), "appealed");
    ck_assert_str_eq(json_string_value(json_object_get(e, "to_state")), "rejected");
    json_decref(c);
    ck_assert_int_eq(count_of("SELECT count(*) FROM audit WHERE object_kind = 'claim' AND"
                              " object_id = '%lld'::text AND action = 'claim.uphold'",
                              id),
                     1);
    ck_assert_ptr_null(queue_item(id, colleague));
}
END_TEST

START_TEST(an_appeal_is_refused_when_it_may_not_be_made)
{
    long long decision, id = rejected("A-3", &decision);
    /* not rejected */
    long long waiting = submit("A-4");
    th_expect(appeal(waiting, worker, decision, NULL), 409, 4004, NULL);
    /* the decision named is not this claim's rejection */
    struct th_reply r = appeal(id, worker, decision + 1, NULL);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "code")), 4317);
    ck_assert_ptr_nonnull(strstr(r.body, "\"field\":\"decision\""));
    th_reply_free(&r);
    /* the body: a reason, 1..2000 characters; a decision; nothing else */
    char body[7000], reason[6100] = "";
    for (int i = 0; i < 2001; i++)
        strcat(reason, "理");
    snprintf(body, sizeof body, "{\"decision\":%lld,\"reason\":\"%s\"}", decision, reason);
    r = th_claim_step(&d, id, "appeal", worker, body, NULL);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert_ptr_nonnull(strstr(r.body, "\"field\":\"reason\""));
    th_reply_free(&r);
    snprintf(body, sizeof body, "{\"decision\":%lld}", decision);
    r = th_claim_step(&d, id, "appeal", worker, body, NULL);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert_ptr_nonnull(strstr(r.body, "\"field\":\"reason\""));
    th_reply_free(&r);
    th_expect(th_claim_step(&d, id, "appeal", worker, "{\"reason\":\"请复核\"}", NULL), 422, 1009,
              NULL);
    snprintf(body, sizeof body, "{\"decision\":%lld,\"reason\":\"\"}", decision);
    th_expect(th_claim_step(&d, id, "appeal", worker, body, NULL), 422, 1009, NULL);
    snprintf(body, sizeof body, "{\"decision\":%lld,\"reason\":\"x\",\"state\":\"approved\"}",
             decision);
    th_expect(th_claim_step(&d, id, "appeal", worker, body, NULL), 400, 0, NULL);
    /* another owner's claim; other roles */
    th_expect(appeal(id, other, decision, NULL), 404, 0, NULL);
    th_expect(appeal(id, colleague, decision, NULL), 403, 0, NULL);
    th_expect(appeal(id, admin, decision, NULL), 403, 0, NULL);
    ck_assert_int_eq(count_of("SELECT count(*) FROM claim_event WHERE claim_id = %lld AND"
                              " action = 'appeal'",
                              id),
                     0);
    /* the period: --appeal-days 5 from the day of the rejection (Asia/Shanghai) */
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE claim_event SET at = at - interval '6 days' WHERE claim_id = %lld AND"
             " action = 'reject'",
             id);
    free(th_sql(&pg, sql));
    snprintf(sql, sizeof sql,
             "SELECT ((at AT TIME ZONE 'Asia/Shanghai')::date + 5)::text FROM claim_event"
             " WHERE claim_id = %lld AND action = 'reject'",
             id);
    char *last = th_sql(&pg, sql);
    r = appeal(id, worker, decision, NULL);
    ck_assert_msg(r.status == 409, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "code")), 4315);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "last_day")), last);
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(r.json, "detail")), last));
    th_reply_free(&r);
    json_t *c = claim_of(id, worker);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(c, "appeal"), "stage")),
                     "period_passed");
    json_decref(c);
    /* five days back it is still the last day */
    snprintf(sql, sizeof sql,
             "UPDATE claim_event SET at = at + interval '1 day' WHERE claim_id = %lld AND"
             " action = 'reject'",
             id);
    free(th_sql(&pg, sql));
    th_expect(appeal(id, worker, decision, NULL), 200, 0, "appealed");
    free(last);
    /* an approver sees no appeal member on the claim: that is the owner's */
    c = claim_of(id, colleague);
    ck_assert_ptr_null(json_object_get(c, "appeal"));
    json_decref(c);
}
END_TEST

START_TEST(bulk_decisions_keep_the_rejector_off_the_appeal)
{
    long long decision, id = rejected("A-5", &decision);
    th_expect(appeal(id, worker, decision, NULL), 200, 0, "appealed");
    char body[160];
    snprintf(body, sizeof body, "{\"action\":\"approve\",\"claim_ids\":[%lld],\"reason\":\"批量\"}",
             id);
    struct th_reply r = th_write(&d, "POST", "/v1/review/bulk", approver, "bulk-1", body);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    json_t *item = json_array_get(json_object_get(r.json, "items"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(item, "status")), 403);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(item, "problem"), "code")),
                     4316);
    th_reply_free(&r);
    ck_assert_int_eq(
        count_of("SELECT count(*) FROM claim WHERE id = %lld AND state = 'appealed'", id), 1);
    r = th_write(&d, "POST", "/v1/review/bulk", colleague, "bulk-2", body);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    item = json_array_get(json_object_get(r.json, "items"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(item, "status")), 200);
    th_reply_free(&r);
    ck_assert_int_eq(
        count_of("SELECT count(*) FROM claim WHERE id = %lld AND state = 'in_notice'", id), 1);
    ck_assert_int_eq(quota_used(), 1);
}
END_TEST

START_TEST(an_appeal_is_never_assigned_to_the_rejector)
{
    long long decision, id = rejected("A-8", &decision);
    th_expect(appeal(id, worker, decision, NULL), 200, 0, "appealed");
    char body[64];
    snprintf(body, sizeof body, "{\"approver_token_id\":%lld}", approver_tid);
    th_expect(th_claim_step(&d, id, "assign", city, body, NULL), 422, 4318, NULL);
    ck_assert_int_eq(count_of("SELECT count(*) FROM claim WHERE id = %lld AND state = 'appealed'"
                              " AND assigned_token IS NULL",
                              id),
                     1);
    /* given to the colleague it stays appealed, held; given back, still appealed */
    snprintf(body, sizeof body, "{\"approver_token_id\":%lld}", colleague_tid);
    th_expect(th_claim_step(&d, id, "assign", city, body, NULL), 200, 0, "appealed");
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT assigned_token FROM claim WHERE id = %lld", id);
    ck_assert_int_eq(th_count(&pg, sql), colleague_tid);
    th_expect(th_claim_step(&d, id, "release", colleague, "{}", NULL), 200, 0, "appealed");
    th_expect(th_claim_step(&d, id, "uphold", colleague, "{\"reason\":\"维持\"}", NULL), 200, 0,
              "rejected");
}
END_TEST

START_TEST(an_overturn_needs_the_place_still_free)
{
    long long decision, id = rejected("A-6", &decision);
    th_expect(appeal(id, worker, decision, NULL), 200, 0, "appealed");
    /* since the rejection the worker claimed the same occupation and level again: the overturn
     * is judged on that and refused, the claim still appealed, no place taken */
    long long again = submit("A-7");
    ck_assert_int_eq(quota_used(), 1);
    struct th_reply r = th_claim_step(&d, id, "approve", colleague, "{}", NULL);
    ck_assert_msg(r.status == 409, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "code")), 4302);
    th_reply_free(&r);
    ck_assert_int_eq(
        count_of("SELECT count(*) FROM claim WHERE id = %lld AND state = 'appealed'", id), 1);
    ck_assert_int_eq(quota_used(), 1);
    ck_assert_int_gt(again, 0);
}
END_TEST

int main(void)
{
    const char *const args[] = {"--appeal-days", "5", NULL};
    th_start(&pg, &d, args);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_token(&pg, "approver", NULL, "330902", approver);
    approver_tid = th_count(&pg, "SELECT max(id) FROM token");
    th_token(&pg, "approver", NULL, "330902", colleague);
    colleague_tid = th_count(&pg, "SELECT max(id) FROM token");
    th_token(&pg, "approver", NULL, "330900", city);
    th_resident_id(other_id, "330902", 1992, 8);
    th_token(&pg, "applicant", other_id, NULL, other);
    char body[512];
    snprintf(body, sizeof body,
             "{\"policy\":\"zhoushan-2019\",\"year\":2020,\"effective_from\":\"2020-06-01\","
             "\"source\":\"舟山市2020年目录\",\"entries\":[" ELECTRICIAN
             ",\"standard_fen\":140000,\"shortage\":true}]}");
    struct th_reply r = th_write(&d, "POST", "/v1/admin/catalogs", admin, "cat-1", body);
    bool ok = r.status == 201 && th_profile(&d, other, other_id, "330902");
    if (!ok)
        fprintf(stderr, "set-up: %ld %s\n", r.status, r.body);
    th_reply_free(&r);
    if (!ok) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("claim_appeal");
    TCase *tc = tcase_create("appeal");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, new_worker, NULL);
    tcase_add_test(tc, an_appeal_is_overturned_by_another_approver);
    tcase_add_test(tc, an_upheld_rejection_is_final);
    tcase_add_test(tc, an_appeal_is_refused_when_it_may_not_be_made);
    tcase_add_test(tc, bulk_decisions_keep_the_rejector_off_the_appeal);
    tcase_add_test(tc, an_appeal_is_never_assigned_to_the_rejector);
    tcase_add_test(tc, an_overturn_needs_the_place_still_free);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
