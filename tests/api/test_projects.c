/* API tier: the published project list (项目制培训: Zhoushan 二(九) 公布项目清单, Ningbo 五(二) and
 * 五(三) 定期向社会公布) — an admin publishes a project (policy, region, name, class hours,
 * standard per trainee in fen, the institutions admitted) and updates or withdraws it, every bad
 * field in one reply, idempotent and audited; GET /v1/public/projects without a token lists the
 * published ones by policy, region or city and institution, in keyset pages, as JSON or CSV;
 * the public institution list shows each institution's projects (its rate limit: test_public). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], inst[64], inst_a[19], inst_b[19], inst_nb[19];

static struct th_reply put(const char *code, const char *key, const char *body)
{
    char path[96];
    snprintf(path, sizeof path, "/v1/admin/projects/%s", code);
    return th_write(&d, "PUT", path, admin, key, body);
}

static bool publish(const char *code, const char *policy, const char *region, const char *insts)
{
    char body[600], key[64];
    snprintf(body, sizeof body,
             "{\"policy\":\"%s\",\"region\":\"%s\",\"name\":\"项目 %s\",\"class_hours\":40,"
             "\"standard_fen\":140000,\"institutions\":%s}",
             policy, region, code, insts);
    snprintf(key, sizeof key, "pub-%s", code);
    struct th_reply r = put(code, key, body);
    bool ok = r.status == 201;
    if (!ok)
        fprintf(stderr, "%s: %ld %s\n", code, r.status, r.body);
    th_reply_free(&r);
    return ok;
}

/* The codes of a public page, comma-separated. */
static void expect_codes(const char *path, const char *want)
{
    struct th_reply r = th_http(&d, "GET", path, NULL, NULL, 0, NULL);
    ck_assert_msg(r.status == 200, "%s: %ld %s", path, r.status, r.body);
    char got[300] = "";
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(r.json, "items"), i, item)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", i ? "," : "",
                 json_string_value(json_object_get(item, "code")));
    th_reply_free(&r);
    ck_assert_msg(strcmp(got, want) == 0, "%s: [%s], not [%s]", path, got, want);
}

START_TEST(publish_update_withdraw)
{
    char body[600];
    snprintf(body, sizeof body,
             "{\"policy\":\"zhoushan-2019\",\"region\":\"330902\",\"name\":\"船舶电焊工 <项目>\","
             "\"class_hours\":40,\"standard_fen\":140000,\"institutions\":[\"%s\",\"%s\"]}",
             inst_a, inst_b);
    long audit = th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'project.publish'");
    struct th_reply r = put("ZS-WELD-01", "p-1", body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")), "published");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "standard_fen")), 140000);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "institutions")), 2);
    char *first = strdup(r.body);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'project.publish'"),
                     audit + 1);
    /* a replay: the same reply, nothing more written */
    r = put("ZS-WELD-01", "p-1", body);
    ck_assert_int_eq(r.status, 201);
    ck_assert_str_eq(r.body, first);
    th_reply_free(&r);
    free(first);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM project_institution"
                                   " WHERE project_code = 'ZS-WELD-01'"),
                     2);
    /* an update replaces the institutions; the publication day stays */
    snprintf(body, sizeof body,
             "{\"policy\":\"zhoushan-2019\",\"region\":\"330902\",\"name\":\"船舶电焊工\","
             "\"class_hours\":48,\"standard_fen\":150000,\"institutions\":[\"%s\"]}",
             inst_b);
    r = put("ZS-WELD-01", "p-2", body);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "class_hours")), 48);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM project_institution"
                                   " WHERE project_code = 'ZS-WELD-01'"),
                     1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'project.update'"
                                   " AND object_kind = 'project' AND object_id = 'ZS-WELD-01'"
                                   " AND before IS NOT NULL"),
                     1);
    /* withdrawn: off the public list */
    snprintf(body, sizeof body,
             "{\"policy\":\"zhoushan-2019\",\"region\":\"330902\",\"name\":\"船舶电焊工\","
             "\"class_hours\":48,\"standard_fen\":150000,\"institutions\":[\"%s\"],"
             "\"status\":\"withdrawn\"}",
             inst_b);
    r = put("ZS-WELD-01", "p-3", body);
    ck_assert_int_eq(r.status, 200);
    th_reply_free(&r);
    expect_codes("/v1/public/projects?policy=zhoushan-2019", "ZS-HOME-02");
}
END_TEST

START_TEST(every_bad_field_at_once)
{
    long before = th_count(&pg, "SELECT (SELECT count(*) FROM project)"
                                " + (SELECT count(*) FROM audit)");
    char body[600];
    snprintf(body, sizeof body,
             "{\"policy\":\"atlantis-2019\",\"region\":\"999999\",\"class_hours\":0,"
             "\"standard_fen\":-1,\"institutions\":[\"%s\",\"12345\",\"%s\","
             "\"91330900MA28K1234U\"],\"status\":\"draft\"}",
             inst_a, inst_a);
    struct th_reply r = put("BAD-1", "bad-1", body);
    const char *fields[] = {"policy",          "region",       "name",
                            "class_hours",     "standard_fen", "institutions[1]",
                            "institutions[2]", "status"};
    th_expect_fields(&r, 422, fields, 8);
    /* the institutions that are well formed are looked up: one not registered */
    snprintf(body, sizeof body,
             "{\"policy\":\"zhoushan-2019\",\"region\":\"330203\",\"name\":\"x\","
             "\"class_hours\":8,\"standard_fen\":100,\"institutions\":[\"%s\","
             "\"91330900MA28K1234U\"]}",
             inst_a);
    r = put("BAD-2", "bad-2", body);
    const char *more[] = {"region", "institutions[1]"}; /* Ningbo's district, Zhoushan's policy */
    th_expect_fields(&r, 422, more, 2);
    ck_assert_int_eq(th_count(&pg, "SELECT (SELECT count(*) FROM project)"
                                   " + (SELECT count(*) FROM audit)"),
                     before);
    /* an admin's route; a malformed code is not found */
    snprintf(body, sizeof body,
             "{\"policy\":\"zhoushan-2019\",\"region\":\"330902\",\"name\":\"x\","
             "\"class_hours\":8,\"standard_fen\":100,\"institutions\":[\"%s\"]}",
             inst_a);
    r = th_write(&d, "PUT", "/v1/admin/projects/OK-1", inst, "bad-3", body);
    ck_assert_int_eq(r.status, 403);
    th_reply_free(&r);
    r = put("bad*code", "bad-4", body);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    r = th_write(&d, "PUT", "/v1/admin/projects/OK-1", admin, "bad-5", "{\"name\":\"x\",\"x\":1}");
    ck_assert_int_eq(r.status, 400); /* an unknown field */
    th_reply_free(&r);
}
END_TEST

START_TEST(public_list)
{
    /* by policy, region or its city, institution; organisations only */
    expect_codes("/v1/public/projects", "NB-CARE-01,ZS-HOME-02");
    expect_codes("/v1/public/projects?region=330900", "ZS-HOME-02");
    expect_codes("/v1/public/projects?region=330902", "ZS-HOME-02");
    expect_codes("/v1/public/projects?region=330903", "");
    expect_codes("/v1/public/projects?policy=ningbo-2019", "NB-CARE-01");
    char path[128];
    snprintf(path, sizeof path, "/v1/public/projects?institution=%s", inst_nb);
    expect_codes(path, "NB-CARE-01");
    expect_codes("/v1/public/projects?limit=1&after=NB-CARE-01", "ZS-HOME-02");
    struct th_reply r = th_http(&d, "GET", "/v1/public/projects?limit=1", NULL, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "next_after")), "NB-CARE-01");
    json_t *item = json_array_get(json_object_get(r.json, "items"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(item, "standard_fen")), 140000);
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(item, "institutions"), 0)),
                     inst_nb);
    th_reply_free(&r);
    /* CSV for a spreadsheet: the institutions in one cell */
    const char *h[] = {"Accept: text/csv", NULL};
    r = th_http(&d, "GET", "/v1/public/projects?region=330900", NULL, NULL, 0, h);
    ck_assert_int_eq(r.status, 200);
    char want[400];
    snprintf(want, sizeof want,
             "\xEF\xBB\xBF"
             "code,name,policy,region,class_hours,standard_fen,institutions\r\n"
             "ZS-HOME-02,项目 ZS-HOME-02,zhoushan-2019,330902,40,140000,%s %s\r\n",
             strcmp(inst_a, inst_b) < 0 ? inst_a : inst_b,
             strcmp(inst_a, inst_b) < 0 ? inst_b : inst_a);
    ck_assert_msg(strcmp(r.body, want) == 0, "%s", r.body);
    th_reply_free(&r);
    /* the institutions' public entries show their projects */
    r = th_http(&d, "GET", "/v1/public/institutions?region=330203", NULL, NULL, 0, NULL);
    item = json_array_get(json_object_get(r.json, "items"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(item, "credit_code")), inst_nb);
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(item, "projects"), 0)),
                     "NB-CARE-01");
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/public/projects?region=33&limit=0&policy=X", NULL, NULL, 0, NULL);
    const char *bad[] = {"region", "limit", "policy"};
    th_expect_fields(&r, 400, bad, 3);
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_credit_code(inst_a, "330900", 61);
    th_credit_code(inst_b, "330900", 62);
    th_credit_code(inst_nb, "330200", 63);
    th_token(&pg, "institution", inst_a, NULL, inst);
    bool ok = th_institution(&d, admin, inst_a, "330902", "normal") &&
              th_institution(&d, admin, inst_b, "330902", "normal") &&
              th_institution(&d, admin, inst_nb, "330203", "normal");
    if (!ok) {
        th_finish(&pg, &d);
        return 99;
    }
    char two[64], one[32];
    snprintf(two, sizeof two, "[\"%s\",\"%s\"]", inst_b, inst_a);
    snprintf(one, sizeof one, "[\"%s\"]", inst_nb);
    if (!publish("ZS-HOME-02", "zhoushan-2019", "330902", two) ||
        !publish("NB-CARE-01", "ningbo-2019", "330203", one)) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("projects");
    TCase *tc = tcase_create("projects");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, public_list);
    tcase_add_test(tc, every_bad_field_at_once);
    tcase_add_test(tc, publish_update_withdraw);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
