/* API tier: registries (administration issue) — enterprises, training institutions with their
 * status and red/black list entries, the trade-friction list and regions: create, update, read,
 * keyset pages, every bad field in one reply, admin-only writes, public reads, idempotent
 * replays and key reuse, audit rows with before and after. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], applicant[64];

/* Valid GB 32100 codes (MOD 31 check character). */
#define ENT_ZS  "91330900MA28K1234U"
#define ENT_JX1 "91330400MA2B00001P"
#define ENT_JX2 "91330400MA2B00002T"
#define ENT_ZS3 "91330900MA28K00033"
#define INST_ZS "12330900MB0000000W"
#define INST_JX "12330400MB00000016"

START_TEST(enterprise_create_update_get_list)
{
    struct th_reply r = th_write(&d, "PUT", "/v1/admin/enterprises/" ENT_ZS, admin, "ent-1",
                                 "{\"name\":\"舟山某船舶修造有限公司\",\"region\":\"330902\"}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "credit_code")), ENT_ZS);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "region")), "330902");
    char *first = strdup(r.body);
    th_reply_free(&r);
    /* replay: same reply byte for byte, nothing written twice */
    r = th_write(&d, "PUT", "/v1/admin/enterprises/" ENT_ZS, admin, "ent-1",
                 "{\"name\":\"舟山某船舶修造有限公司\",\"region\":\"330902\"}");
    ck_assert_int_eq(r.status, 201);
    ck_assert_str_eq(r.body, first);
    ck_assert_str_eq(th_header(&r, "idempotent-replayed"), "true");
    th_reply_free(&r);
    free(first);
    /* the same key with another request */
    r = th_write(&d, "PUT", "/v1/admin/enterprises/" ENT_ZS, admin, "ent-1",
                 "{\"name\":\"别的名字\",\"region\":\"330902\"}");
    ck_assert_int_eq(r.status, 422);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "name")), "idempotency_key_reused");
    th_reply_free(&r);
    /* update: 200, audited with before and after */
    r = th_write(&d, "PUT", "/v1/admin/enterprises/" ENT_ZS, admin, "ent-2",
                 "{\"name\":\"舟山某船舶修造有限公司\",\"region\":\"330903\"}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "region")), "330903");
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM enterprise"), 1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE object_kind = 'enterprise'"
                                   " AND action = 'enterprise.create' AND before IS NULL"),
                     1);
    ck_assert_int_eq(th_count(&pg,
                              "SELECT count(*) FROM audit WHERE action = 'enterprise.update'"
                              " AND before->>'region' = '330902' AND after->>'region' = '330903'"),
                     1);

    r = th_http(&d, "GET", "/v1/admin/enterprises/" ENT_ZS, admin, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "name")), "舟山某船舶修造有限公司");
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "trade_friction")), 0);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/admin/enterprises/" ENT_JX2, admin, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/admin/enterprises/91330900MA28K1234A", admin, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 404); /* bad check character in a path */
    th_reply_free(&r);

    /* pages: three enterprises, two regions */
    r = th_write(&d, "PUT", "/v1/admin/enterprises/" ENT_JX1, admin, "ent-3",
                 "{\"name\":\"嘉兴某纺织有限公司\",\"region\":\"330402\"}");
    ck_assert_int_eq(r.status, 201);
    th_reply_free(&r);
    r = th_write(&d, "PUT", "/v1/admin/enterprises/" ENT_JX2, admin, "ent-4",
                 "{\"name\":\"嘉兴某机械有限公司\",\"region\":\"330402\"}");
    ck_assert_int_eq(r.status, 201);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/admin/enterprises?limit=2", admin, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 2);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "next_after")), ENT_JX2);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/admin/enterprises?limit=2&after=" ENT_JX2, admin, NULL, 0, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    ck_assert(json_is_null(json_object_get(r.json, "next_after")));
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/admin/enterprises?region=330402", admin, NULL, 0, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 2);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/admin/enterprises?limit=0&region=x&colour=red", admin, NULL, 0,
                NULL);
    ck_assert_int_eq(r.status, 400);
    th_reply_free(&r);
}
END_TEST

START_TEST(enterprise_bad_fields)
{
    struct th_reply r = th_write(&d, "PUT", "/v1/admin/enterprises/" ENT_ZS3, admin, "ent-bad-1",
                                 "{\"name\":\"\",\"region\":\"999999\"}");
    const char *both[] = {"name", "region"};
    th_expect_fields(&r, 422, both, 2);
    r = th_write(&d, "PUT", "/v1/admin/enterprises/" ENT_ZS3, admin, "ent-bad-2",
                 "{\"region\":\"33\"}");
    th_expect_fields(&r, 422, both, 2);
    r = th_write(&d, "PUT", "/v1/admin/enterprises/" ENT_ZS3, admin, "ent-bad-3",
                 "{\"name\":\"x\",\"region\":\"330902\",\"status\":\"normal\"}");
    const char *unknown[] = {"status"};
    th_expect_fields(&r, 400, unknown, 1);
    r = th_write(&d, "PUT", "/v1/admin/enterprises/91330900MA28K1234A", admin, "ent-bad-4",
                 "{\"name\":\"x\",\"region\":\"330902\"}");
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    const char *h[] = {"Content-Type: application/json", NULL};
    r = th_http(&d, "PUT", "/v1/admin/enterprises/" ENT_ZS3, admin,
                "{\"name\":\"x\",\"region\":\"330902\"}", -1, h);
    const char *key[] = {"Idempotency-Key"};
    th_expect_fields(&r, 400, key, 1);
    ck_assert_int_eq(
        th_count(&pg, "SELECT count(*) FROM enterprise WHERE credit_code = '" ENT_ZS3 "'"), 0);
}
END_TEST

START_TEST(institutions_status_and_lists)
{
    struct th_reply r = th_write(&d, "PUT", "/v1/admin/institutions/" INST_ZS, admin, "inst-1",
                                 "{\"name\":\"舟山市某职业技能培训学校\",\"region\":\"330902\"}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")), "normal");
    th_reply_free(&r);
    r = th_write(&d, "PUT", "/v1/admin/institutions/" INST_JX, admin, "inst-2",
                 "{\"name\":\"嘉兴某培训中心\",\"region\":\"3304A1\",\"status\":\"suspended\"}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    r = th_write(&d, "PUT", "/v1/admin/institutions/" INST_ZS, admin, "inst-3",
                 "{\"name\":\"舟山市某职业技能培训学校\",\"region\":\"330902\","
                 "\"status\":\"suspended\"}");
    ck_assert_int_eq(r.status, 200);
    th_reply_free(&r);
    ck_assert_int_eq(
        th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'institution.update'"
                      " AND before->>'status' = 'normal' AND after->>'status' = 'suspended'"),
        1);
    r = th_write(&d, "PUT", "/v1/admin/institutions/" INST_ZS, admin, "inst-bad",
                 "{\"name\":\"\",\"region\":\"330999\",\"status\":\"closed\"}");
    const char *three[] = {"name", "region", "status"};
    th_expect_fields(&r, 422, three, 3);

    r = th_write(&d, "POST", "/v1/admin/institutions/" INST_ZS "/list-entries", admin, "le-1",
                 "{\"list\":\"black\",\"reason\":\"虚报培训人数\",\"valid_from\":\"2024-01-01\","
                 "\"valid_to\":\"2026-12-31\"}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "list")), "black");
    char *first = strdup(r.body);
    th_reply_free(&r);
    r = th_write(&d, "POST", "/v1/admin/institutions/" INST_ZS "/list-entries", admin, "le-1",
                 "{\"list\":\"black\",\"reason\":\"虚报培训人数\",\"valid_from\":\"2024-01-01\","
                 "\"valid_to\":\"2026-12-31\"}");
    ck_assert_int_eq(r.status, 201);
    ck_assert_str_eq(r.body, first);
    th_reply_free(&r);
    free(first);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM institution_list_entry"), 1);
    ck_assert_int_eq(th_count(&pg,
                              "SELECT count(*) FROM audit WHERE action = 'institution.list_entry'"
                              " AND jsonb_array_length(after->'list_entries') = 1"
                              " AND jsonb_array_length(before->'list_entries') = 0"),
                     1);
    r = th_write(&d, "POST", "/v1/admin/institutions/" INST_ZS "/list-entries", admin, "le-bad",
                 "{\"list\":\"grey\",\"reason\":\"\",\"valid_from\":\"2024-02-30\"}");
    const char *bad[] = {"list", "reason", "valid_from"};
    th_expect_fields(&r, 422, bad, 3);
    r = th_write(&d, "POST", "/v1/admin/institutions/" INST_ZS "/list-entries", admin, "le-bad2",
                 "{\"list\":\"red\",\"reason\":\"优秀\",\"valid_from\":\"2024-02-01\","
                 "\"valid_to\":\"2024-01-31\"}");
    const char *order[] = {"valid_to"};
    th_expect_fields(&r, 422, order, 1);
    r = th_write(&d, "POST", "/v1/admin/institutions/12330900MB00000023/list-entries", admin,
                 "le-none", "{\"list\":\"red\",\"reason\":\"优秀\",\"valid_from\":\"2024-02-01\"}");
    ck_assert_msg(r.status == 404, "%ld %s", r.status, r.body);
    th_reply_free(&r);

    /* public reads, by an applicant */
    r = th_http(&d, "GET", "/v1/institutions/" INST_ZS, applicant, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")), "suspended");
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "list_entries")), 1);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/institutions?status=suspended&limit=1", applicant, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    const char *next = json_string_value(json_object_get(r.json, "next_after"));
    ck_assert_str_eq(next, INST_JX);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/institutions?after=" INST_JX, applicant, NULL, 0, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    ck_assert(json_is_null(json_object_get(r.json, "next_after")));
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/institutions?region=3304A1", applicant, NULL, 0, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/institutions?status=closed", applicant, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 400);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/regions", applicant, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_ge(json_array_size(json_object_get(r.json, "items")), 40);
    th_reply_free(&r);
}
END_TEST

START_TEST(trade_friction_list)
{
    struct th_reply r = th_write(&d, "PUT", "/v1/admin/enterprises/" ENT_ZS3, admin, "tf-ent",
                                 "{\"name\":\"舟山某水产有限公司\",\"region\":\"330921\"}");
    ck_assert_int_eq(r.status, 201);
    th_reply_free(&r);
    const char *body =
        "{\"credit_code\":\"" ENT_ZS3 "\",\"valid_from\":\"2019-06-01\","
        "\"valid_to\":\"2020-12-31\",\"source\":\"舟山市受经贸摩擦影响企业名单（第一批）\"}";
    r = th_write(&d, "POST", "/v1/admin/trade-friction", admin, "tf-1", body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    long long id = json_integer_value(json_object_get(r.json, "id"));
    char *first = strdup(r.body);
    th_reply_free(&r);
    r = th_write(&d, "POST", "/v1/admin/trade-friction", admin, "tf-1", body);
    ck_assert_int_eq(r.status, 201);
    ck_assert_str_eq(r.body, first);
    th_reply_free(&r);
    free(first);
    r = th_write(&d, "POST", "/v1/admin/trade-friction", admin, "tf-2",
                 "{\"credit_code\":\"" ENT_ZS3
                 "\",\"valid_from\":\"2021-01-01\",\"source\":\"第二批\"}");
    ck_assert_int_eq(r.status, 201);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM trade_friction"), 2);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'trade_friction.add'"
                                   " AND before IS NULL AND after->>'credit_code' = '" ENT_ZS3 "'"),
                     2);

    /* an unregistered enterprise, a bad check character, dates out of order: all 422 */
    r = th_write(&d, "POST", "/v1/admin/trade-friction", admin, "tf-bad-1",
                 "{\"credit_code\":\"91330900MA28K00046\",\"valid_from\":\"2019-06-01\","
                 "\"source\":\"x\"}");
    const char *code[] = {"credit_code"};
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_array_get(json_object_get(r.json, "errors"), 0), "code")),
                     1107);
    th_expect_fields(&r, 422, code, 1);
    r = th_write(&d, "POST", "/v1/admin/trade-friction", admin, "tf-bad-2",
                 "{\"credit_code\":\"91330900MA28K0003A\",\"valid_from\":\"2020-06-01\","
                 "\"valid_to\":\"2020-05-31\",\"source\":\"\"}");
    const char *all[] = {"credit_code", "valid_to", "source"};
    th_expect_fields(&r, 422, all, 3);
    r = th_write(&d, "POST", "/v1/admin/trade-friction", admin, "tf-bad-3", "{}");
    const char *req[] = {"credit_code", "valid_from", "source"};
    th_expect_fields(&r, 422, req, 3);

    r = th_http(&d, "GET", "/v1/admin/trade-friction?credit_code=" ENT_ZS3 "&on=2020-07-15", admin,
                NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    json_t *items = json_object_get(r.json, "items");
    ck_assert_int_eq(json_array_size(items), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(items, 0), "id")), id);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/admin/trade-friction?limit=1", admin, NULL, 0, NULL);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "next_after")), id);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/admin/trade-friction?on=2019-02-30", admin, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 400);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/admin/enterprises/" ENT_ZS3, admin, NULL, 0, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "trade_friction")), 2);
    th_reply_free(&r);
}
END_TEST

START_TEST(admin_routes_refuse_other_roles)
{
    struct {
        const char *method, *path, *body;
    } routes[] = {
        {"PUT", "/v1/admin/enterprises/" ENT_ZS, "{\"name\":\"x\",\"region\":\"330902\"}"},
        {"GET", "/v1/admin/enterprises", NULL},
        {"GET", "/v1/admin/enterprises/" ENT_ZS, NULL},
        {"PUT", "/v1/admin/institutions/" INST_ZS, "{\"name\":\"x\",\"region\":\"330902\"}"},
        {"POST", "/v1/admin/institutions/" INST_ZS "/list-entries",
         "{\"list\":\"red\",\"reason\":\"x\",\"valid_from\":\"2024-01-01\"}"},
        {"POST", "/v1/admin/trade-friction",
         "{\"credit_code\":\"" ENT_ZS "\",\"valid_from\":\"2024-01-01\",\"source\":\"x\"}"},
        {"GET", "/v1/admin/trade-friction", NULL},
    };
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        struct th_reply r = routes[i].body ? th_write(&d, routes[i].method, routes[i].path,
                                                      applicant, "forbidden", routes[i].body)
                                           : th_http(&d, routes[i].method, routes[i].path,
                                                     applicant, NULL, 0, NULL);
        ck_assert_msg(r.status == 403, "%s %s: %ld", routes[i].method, routes[i].path, r.status);
        th_reply_free(&r);
    }
    struct th_reply r = th_http(&d, "GET", "/v1/regions", NULL, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 401);
    th_reply_free(&r);
}
END_TEST

START_TEST(admins_add_functional_zones)
{
    const char *body =
        "{\"code\":\"3309A3\",\"name\":\"舟山江海联运服务中心\",\"parent\":\"330900\"}";
    struct th_reply r = th_write(&d, "POST", "/v1/admin/regions", admin, "zone-1", body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "kind")), "functional zone");
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "source")),
                     "subsidyd (not GB/T 2260)");
    th_reply_free(&r);
    r = th_write(&d, "POST", "/v1/admin/regions", admin, "zone-1", body); /* replay */
    ck_assert_int_eq(r.status, 201);
    ck_assert_str_eq(th_header(&r, "idempotent-replayed"), "true");
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'region.create'"), 1);
    /* the new zone is usable at once: an approver may be scoped to it */
    r = th_json(&d, "POST", "/v1/tokens", admin,
                "{\"role\":\"approver\",\"regions\":[\"3309A3\"]}");
    ck_assert_int_eq(r.status, 201);
    th_reply_free(&r);

    r = th_write(&d, "POST", "/v1/admin/regions", admin, "zone-2", body); /* exists */
    const char *exists[] = {"code"};
    th_expect_fields(&r, 422, exists, 1);
    r = th_write(&d, "POST", "/v1/admin/regions", admin, "zone-3",
                 "{\"code\":\"3304A9\",\"name\":\"\",\"parent\":\"330902\"}");
    const char *bad[] = {"code", "name", "parent"};
    th_expect_fields(&r, 422, bad, 3);
    r = th_write(&d, "POST", "/v1/admin/regions", admin, "zone-4",
                 "{\"code\":\"330999\",\"name\":\"x\",\"parent\":\"330900\"}");
    const char *gb[] = {"code"};
    th_expect_fields(&r, 422, gb, 1);
    r = th_write(&d, "POST", "/v1/admin/regions", applicant, "zone-5", body);
    ck_assert_int_eq(r.status, 403);
    th_reply_free(&r);
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_token(&pg, "applicant", "330902199001011238", NULL, applicant);
    Suite *s = suite_create("registries");
    TCase *tc = tcase_create("registries");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, enterprise_create_update_get_list);
    tcase_add_test(tc, enterprise_bad_fields);
    tcase_add_test(tc, institutions_status_and_lists);
    tcase_add_test(tc, trade_friction_list);
    tcase_add_test(tc, admin_routes_refuse_other_roles);
    tcase_add_test(tc, admins_add_functional_zones);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
