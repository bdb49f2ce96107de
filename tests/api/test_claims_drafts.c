/* API tier: drafts (issue 6) — a draft is its owner's alone until it is submitted: it can be
 * withdrawn (no year, policy or decision needed) or deleted (204, then gone with its timeline;
 * the audit row stays); a submitted claim cannot be deleted (409); approvers of the claim's
 * region get 404 for a draft and its reveal, and see it once submitted. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char worker[64], other_worker[64], approver[64];
static char worker_id[19], other_id[19];

#define ZS_CLAIM_L(occupation, no)                                                                 \
    "{\"region\":\"330902\",\"claim\":{\"kind\":\"certificate_training\",\"occupation\":"          \
    "\"" occupation "\",\"level\":\"level4\",\"certificate\":{\"kind\":\"qualification\","         \
    "\"number\":\"" no "\",\"issue_date\":\"2020-06-30\"},\"actual_cost_fen\":160000}}"
#define ZS_CLAIM(no) ZS_CLAIM_L("6-18-02-04", no)

static long code_of(const struct th_reply *r)
{
    return r->json ? (long)json_integer_value(json_object_get(r->json, "code")) : -1;
}

static long long draft(const char *key, const char *body)
{
    struct th_reply r = th_write(&d, "POST", "/v1/claims", worker, key, body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "draft");
    long long id = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    return id;
}

static long count_for(const char *sql_fmt, long long id)
{
    char sql[256];
    snprintf(sql, sizeof sql, sql_fmt, id);
    return th_count(&pg, sql);
}

static void expect(struct th_reply r, long status, long code)
{
    ck_assert_msg(r.status == status, "%ld %s", r.status, r.body);
    if (code)
        ck_assert_int_eq(code_of(&r), code);
    th_reply_free(&r);
}

START_TEST(draft_withdrawn)
{
    long long id = draft("wd-1", ZS_CLAIM("D-W1"));
    char wd[96], path[96];
    snprintf(wd, sizeof wd, "/v1/claims/%lld/withdraw", id);
    snprintf(path, sizeof path, "/v1/claims/%lld", id);
    struct th_reply r = th_write(&d, "POST", wd, worker, "wd-2", "{\"reason\":\"不申请了\"}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "withdrawn");
    th_reply_free(&r);
    r = th_http(&d, "GET", path, worker, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    json_t *tl = json_object_get(r.json, "timeline");
    ck_assert_int_eq(json_array_size(tl), 2);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(tl, 0), "action")), "create");
    json_t *last = json_array_get(tl, 1);
    ck_assert_str_eq(json_string_value(json_object_get(last, "action")), "withdraw");
    ck_assert_str_eq(json_string_value(json_object_get(last, "from_state")), "draft");
    ck_assert_str_eq(json_string_value(json_object_get(last, "reason")), "不申请了");
    th_reply_free(&r);
    ck_assert_int_eq(count_for("SELECT count(*) FROM audit WHERE object_kind = 'claim'"
                               " AND object_id = '%lld' AND action = 'claim.withdraw'",
                               id),
                     1);
    /* withdrawn before it was submitted, it is still its owner's alone */
    expect(th_http(&d, "GET", path, approver, NULL, 0, NULL), 404, 1000);
    /* a withdrawn draft is no draft: it cannot be deleted any more */
    expect(th_write(&d, "DELETE", path, worker, "wd-3", NULL), 409, 4004);
}
END_TEST

START_TEST(draft_deleted)
{
    long long id = draft("del-1", ZS_CLAIM("D-D1"));
    char path[96];
    snprintf(path, sizeof path, "/v1/claims/%lld", id);
    /* nobody else deletes it */
    expect(th_write(&d, "DELETE", path, other_worker, "del-x", NULL), 404, 1000);
    expect(th_write(&d, "DELETE", path, approver, "del-y", NULL), 403, 2003);
    expect(th_http(&d, "DELETE", path, worker, NULL, 0, NULL), 400, 0); /* key required */
    ck_assert_int_eq(count_for("SELECT count(*) FROM claim WHERE id = %lld", id), 1);

    struct th_reply r = th_write(&d, "DELETE", path, worker, "del-2", NULL);
    ck_assert_msg(r.status == 204, "%ld %s", r.status, r.body);
    ck_assert_int_eq(r.len, 0);
    th_reply_free(&r);
    /* a replay under the same key is the same 204 */
    r = th_write(&d, "DELETE", path, worker, "del-2", NULL);
    ck_assert_int_eq(r.status, 204);
    ck_assert_str_eq(th_header(&r, "idempotent-replayed"), "true");
    th_reply_free(&r);
    expect(th_http(&d, "GET", path, worker, NULL, 0, NULL), 404, 1000);
    expect(th_write(&d, "DELETE", path, worker, "del-3", NULL), 404, 1000);
    /* the claim and its timeline are gone; the audit row of the deletion stays */
    ck_assert_int_eq(count_for("SELECT count(*) FROM claim WHERE id = %lld", id), 0);
    ck_assert_int_eq(count_for("SELECT count(*) FROM claim_event WHERE claim_id = %lld", id), 0);
    ck_assert_int_eq(count_for("SELECT count(*) FROM audit WHERE object_kind = 'claim'"
                               " AND object_id = '%lld' AND action = 'claim.delete'"
                               " AND before->>'state' = 'draft'",
                               id),
                     1);
    ck_assert_int_eq(count_for("SELECT count(*) FROM audit WHERE object_kind = 'claim'"
                               " AND object_id = '%lld'",
                               id),
                     2);
}
END_TEST

START_TEST(submitted_not_deleted)
{
    long long id = draft("sub-1", ZS_CLAIM("D-S1"));
    char path[96], sub[96];
    snprintf(path, sizeof path, "/v1/claims/%lld", id);
    snprintf(sub, sizeof sub, "/v1/claims/%lld/submit", id);
    expect(th_write(&d, "POST", sub, worker, "sub-2", NULL), 200, 0);
    expect(th_write(&d, "DELETE", path, worker, "sub-3", NULL), 409, 4004);
    ck_assert_int_eq(count_for("SELECT count(*) FROM claim WHERE id = %lld AND state ="
                               " 'submitted'",
                               id),
                     1);
    ck_assert_int_eq(count_for("SELECT count(*) FROM audit WHERE object_kind = 'claim'"
                               " AND object_id = '%lld' AND action = 'claim.delete'",
                               id),
                     0);
    /* withdrawn after submission it keeps its year and decision */
    char wd[96];
    snprintf(wd, sizeof wd, "/v1/claims/%lld/withdraw", id);
    expect(th_write(&d, "POST", wd, worker, "sub-4", "{}"), 200, 0);
}
END_TEST

START_TEST(drafts_are_the_owners_alone)
{
    long long id = draft("pv-1", ZS_CLAIM_L("6-18-02-05", "PV1"));
    char path[96], reveal[96], sub[96];
    snprintf(path, sizeof path, "/v1/claims/%lld", id);
    snprintf(reveal, sizeof reveal, "/v1/claims/%lld?reveal=true", id);
    snprintf(sub, sizeof sub, "/v1/claims/%lld/submit", id);
    expect(th_http(&d, "GET", path, approver, NULL, 0, NULL), 404, 1000);
    long reveals = th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'person.reveal'");
    expect(th_http(&d, "GET", reveal, approver, NULL, 0, NULL), 404, 1000);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'person.reveal'"),
                     reveals);
    expect(th_http(&d, "GET", path, worker, NULL, 0, NULL), 200, 0);

    expect(th_write(&d, "POST", sub, worker, "pv-2", NULL), 200, 0);
    expect(th_http(&d, "GET", path, approver, NULL, 0, NULL), 200, 0);
    struct th_reply r = th_http(&d, "GET", reveal, approver, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(
        json_string_value(json_object_get(json_object_get(r.json, "person"), "id_number")),
        worker_id);
    th_reply_free(&r);
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_resident_id(worker_id, "330902", 1990, 11);
    th_resident_id(other_id, "330902", 1991, 12);
    th_token(&pg, "applicant", worker_id, NULL, worker);
    th_token(&pg, "applicant", other_id, NULL, other_worker);
    th_token(&pg, "approver", NULL, "330900", approver);
    if (!th_profile(&d, worker, worker_id, "330902")) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("claims_drafts");
    TCase *tc = tcase_create("drafts");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, draft_withdrawn);
    tcase_add_test(tc, draft_deleted);
    tcase_add_test(tc, submitted_not_deleted);
    tcase_add_test(tc, drafts_are_the_owners_alone);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
