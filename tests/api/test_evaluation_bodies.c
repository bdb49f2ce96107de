/* API tier: evaluation bodies (评价机构, issue 12) — registered like training institutions:
 * create with a kind, update, read, keyset pages, every bad field in one reply, red/black list
 * entries, admin-only writes, reads by every role, idempotent replays and key reuse, audit rows
 * with before and after. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], applicant[64];

/* Valid GB 32100 codes (MOD 31 check character). */
#define BODY_ZS "12330900MB0000010X"
#define BODY_JX "12330400MB00000205"
#define BODY_EN "91330400MA2C000007"
#define BODY_NB "12330200MB0000040W"

static const char *str(const struct th_reply *r, const char *key)
{
    return json_string_value(json_object_get(r->json, key));
}

START_TEST(create_update_get_list)
{
    const char *body = "{\"name\":\"舟山市职业技能鉴定中心\",\"region\":\"330902\","
                       "\"kind\":\"appraisal_centre\"}";
    struct th_reply r =
        th_write(&d, "PUT", "/v1/admin/evaluation-bodies/" BODY_ZS, admin, "eb-1", body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    ck_assert_str_eq(str(&r, "credit_code"), BODY_ZS);
    ck_assert_str_eq(str(&r, "kind"), "appraisal_centre");
    ck_assert_str_eq(str(&r, "status"), "normal");
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "list_entries")), 0);
    char *first = strdup(r.body);
    th_reply_free(&r);
    /* replay: the same reply byte for byte, nothing written twice */
    r = th_write(&d, "PUT", "/v1/admin/evaluation-bodies/" BODY_ZS, admin, "eb-1", body);
    ck_assert_int_eq(r.status, 201);
    ck_assert_str_eq(r.body, first);
    ck_assert_str_eq(th_header(&r, "idempotent-replayed"), "true");
    th_reply_free(&r);
    free(first);
    r = th_write(&d, "PUT", "/v1/admin/evaluation-bodies/" BODY_ZS, admin, "eb-1",
                 "{\"name\":\"别的名字\",\"region\":\"330902\",\"kind\":\"other\"}");
    ck_assert_int_eq(r.status, 422);
    ck_assert_str_eq(str(&r, "name"), "idempotency_key_reused");
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM evaluation_body"), 1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action ="
                                   " 'evaluation_body.create' AND object_kind = 'evaluation_body'"
                                   " AND object_id = '" BODY_ZS "' AND before IS NULL"
                                   " AND after->>'kind' = 'appraisal_centre'"),
                     1);

    /* update: suspended, another kind; 200, audited with before and after */
    r = th_write(&d, "PUT", "/v1/admin/evaluation-bodies/" BODY_ZS, admin, "eb-2",
                 "{\"name\":\"舟山市职业技能鉴定中心\",\"region\":\"330902\","
                 "\"kind\":\"other\",\"status\":\"suspended\"}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_str_eq(str(&r, "status"), "suspended");
    th_reply_free(&r);
    ck_assert_int_eq(
        th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'evaluation_body.update'"
                      " AND before->>'status' = 'normal' AND after->>'status' = 'suspended'"
                      " AND before->>'kind' = 'appraisal_centre' AND after->>'kind' = 'other'"),
        1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM evaluation_body WHERE status ="
                                   " 'suspended' AND kind = 'other'"),
                     1);

    r = th_write(&d, "PUT", "/v1/admin/evaluation-bodies/" BODY_JX, admin, "eb-3",
                 "{\"name\":\"嘉兴市职业技能鉴定指导中心\",\"region\":\"330402\","
                 "\"kind\":\"appraisal_centre\"}");
    ck_assert_int_eq(r.status, 201);
    th_reply_free(&r);
    r = th_write(&d, "PUT", "/v1/admin/evaluation-bodies/" BODY_EN, admin, "eb-4",
                 "{\"name\":\"嘉兴某机械有限公司\",\"region\":\"330402\",\"kind\":\"enterprise\"}");
    ck_assert_int_eq(r.status, 201);
    th_reply_free(&r);

    /* reads by any role: one, pages, filters */
    r = th_http(&d, "GET", "/v1/evaluation-bodies/" BODY_EN, applicant, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(str(&r, "name"), "嘉兴某机械有限公司");
    ck_assert_str_eq(str(&r, "kind"), "enterprise");
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/evaluation-bodies/" BODY_NB, applicant, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/evaluation-bodies/12330900MB0000010A", applicant, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 404); /* bad check character */
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/evaluation-bodies?limit=2", applicant, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 2);
    ck_assert_str_eq(str(&r, "next_after"), BODY_ZS);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/evaluation-bodies?limit=2&after=" BODY_ZS, applicant, NULL, 0,
                NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    ck_assert(json_is_null(json_object_get(r.json, "next_after")));
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/evaluation-bodies?region=330402", applicant, NULL, 0, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 2);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/evaluation-bodies?status=suspended", applicant, NULL, 0, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/evaluation-bodies?status=closed&region=x", applicant, NULL, 0,
                NULL);
    const char *query[] = {"status", "region"};
    th_expect_fields(&r, 400, query, 2);
}
END_TEST

START_TEST(bad_fields_in_one_reply)
{
    struct th_reply r =
        th_write(&d, "PUT", "/v1/admin/evaluation-bodies/" BODY_NB, admin, "eb-bad-1",
                 "{\"name\":\"\",\"region\":\"330999\",\"kind\":\"school\","
                 "\"status\":\"closed\"}");
    const char *four[] = {"name", "region", "kind", "status"};
    th_expect_fields(&r, 422, four, 4);
    r = th_write(&d, "PUT", "/v1/admin/evaluation-bodies/" BODY_NB, admin, "eb-bad-2",
                 "{\"name\":\"宁波某评价机构\",\"region\":\"330203\"}");
    const char *kind[] = {"kind"};
    th_expect_fields(&r, 422, kind, 1); /* the kind is required */
    r = th_write(&d, "PUT", "/v1/admin/evaluation-bodies/" BODY_NB, admin, "eb-bad-3",
                 "{\"name\":\"x\",\"region\":\"330203\",\"kind\":\"other\",\"colour\":\"red\"}");
    const char *unknown[] = {"colour"};
    th_expect_fields(&r, 400, unknown, 1);
    r = th_write(&d, "PUT", "/v1/admin/evaluation-bodies/12330200MB0000040A", admin, "eb-bad-4",
                 "{\"name\":\"x\",\"region\":\"330203\",\"kind\":\"other\"}");
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    ck_assert_int_eq(
        th_count(&pg, "SELECT count(*) FROM evaluation_body WHERE credit_code = '" BODY_NB "'"), 0);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE object_id = '" BODY_NB "'"),
                     0);
}
END_TEST

START_TEST(list_entries)
{
    struct th_reply r =
        th_write(&d, "PUT", "/v1/admin/evaluation-bodies/" BODY_NB, admin, "le-body",
                 "{\"name\":\"宁波某社会培训评价组织\",\"region\":\"330203\","
                 "\"kind\":\"other\"}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    const char *entry = "{\"list\":\"black\",\"reason\":\"违规发放职业技能等级证书\","
                        "\"valid_from\":\"2022-07-01\",\"valid_to\":\"2025-06-30\"}";
    r = th_write(&d, "POST", "/v1/admin/evaluation-bodies/" BODY_NB "/list-entries", admin, "le-1",
                 entry);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    ck_assert_str_eq(str(&r, "list"), "black");
    ck_assert_str_eq(str(&r, "credit_code"), BODY_NB);
    ck_assert_str_eq(str(&r, "valid_to"), "2025-06-30");
    char *first = strdup(r.body);
    th_reply_free(&r);
    r = th_write(&d, "POST", "/v1/admin/evaluation-bodies/" BODY_NB "/list-entries", admin, "le-1",
                 entry);
    ck_assert_int_eq(r.status, 201);
    ck_assert_str_eq(r.body, first);
    th_reply_free(&r);
    free(first);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM evaluation_body_list_entry"), 1);
    ck_assert_int_eq(
        th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'evaluation_body.list_entry'"
                      " AND object_id = '" BODY_NB "'"
                      " AND jsonb_array_length(before->'list_entries') = 0"
                      " AND jsonb_array_length(after->'list_entries') = 1"),
        1);
    r = th_http(&d, "GET", "/v1/evaluation-bodies/" BODY_NB, applicant, NULL, 0, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "list_entries")), 1);
    th_reply_free(&r);

    r = th_write(&d, "POST", "/v1/admin/evaluation-bodies/" BODY_NB "/list-entries", admin,
                 "le-bad", "{\"list\":\"grey\",\"reason\":\"\",\"valid_from\":\"2024-02-30\"}");
    const char *bad[] = {"list", "reason", "valid_from"};
    th_expect_fields(&r, 422, bad, 3);
    r = th_write(&d, "POST", "/v1/admin/evaluation-bodies/" BODY_NB "/list-entries", admin,
                 "le-bad2",
                 "{\"list\":\"red\",\"reason\":\"x\",\"valid_from\":\"2024-02-01\","
                 "\"valid_to\":\"2024-01-31\"}");
    const char *order[] = {"valid_to"};
    th_expect_fields(&r, 422, order, 1);
    /* a body not registered (an institution of the same code would not do either) */
    r = th_write(&d, "POST", "/v1/admin/evaluation-bodies/12330900MB00000502/list-entries", admin,
                 "le-none", "{\"list\":\"red\",\"reason\":\"x\",\"valid_from\":\"2024-02-01\"}");
    ck_assert_msg(r.status == 404, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM evaluation_body_list_entry"), 1);
}
END_TEST

START_TEST(writes_are_for_admins)
{
    struct {
        const char *method, *path, *body;
    } routes[] = {
        {"PUT", "/v1/admin/evaluation-bodies/" BODY_ZS,
         "{\"name\":\"x\",\"region\":\"330902\",\"kind\":\"other\"}"},
        {"POST", "/v1/admin/evaluation-bodies/" BODY_ZS "/list-entries",
         "{\"list\":\"red\",\"reason\":\"x\",\"valid_from\":\"2024-01-01\"}"},
    };
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        struct th_reply r =
            th_write(&d, routes[i].method, routes[i].path, applicant, "forbidden", routes[i].body);
        ck_assert_msg(r.status == 403, "%s %s: %ld", routes[i].method, routes[i].path, r.status);
        th_reply_free(&r);
    }
    struct th_reply r = th_http(&d, "GET", "/v1/evaluation-bodies", NULL, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 401);
    th_reply_free(&r);
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_token(&pg, "applicant", "330902199001011238", NULL, applicant);
    Suite *s = suite_create("evaluation_bodies");
    TCase *tc = tcase_create("evaluation_bodies");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, create_update_get_list);
    tcase_add_test(tc, bad_fields_in_one_reply);
    tcase_add_test(tc, list_entries);
    tcase_add_test(tc, writes_are_for_admins);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
