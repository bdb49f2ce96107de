/* API tier: the public lists (issue 12: 定期向社会公布, Ningbo 三(三), 五(三)) — without a
 * token: the red and black list entries in force today (Asia/Shanghai) of training
 * institutions and of evaluation bodies, and the institutions admitted to subsidised training
 * (status normal, no black-list entry in force); they change as an entry starts and ends;
 * organisations' codes and names only; keyset pages; JSON or CSV (UTF-8 with a BOM) by Accept;
 * a per-address token bucket shared by the public routes, 429 with Retry-After past it (a small
 * limit through the daemon's command line), the other routes not counted. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64];
static char today[11], yesterday[11], tomorrow[11];

#define INST_A "12330900MB0000000W"
#define INST_B "12330400MB00000016"
#define INST_C "12330900MB00000502" /* suspended */
#define INST_D "12330200MB0000040W"
#define BODY_E "12330900MB0000010X"

static void put(const char *path, const char *key, const char *body, long status)
{
    struct th_reply r = th_write(&d, "PUT", path, admin, key, body);
    ck_assert_msg(r.status == status, "%s: %ld %s", path, r.status, r.body);
    th_reply_free(&r);
}

static void entry(const char *base, const char *code, const char *key, const char *list,
                  const char *from, const char *to)
{
    char path[128], body[256];
    snprintf(path, sizeof path, "%s/%s/list-entries", base, code);
    snprintf(body, sizeof body, "{\"list\":\"%s\",\"reason\":\"公示\",\"valid_from\":\"%s\"%s%s%s}",
             list, from, to ? ",\"valid_to\":\"" : "", to ? to : "", to ? "\"" : "");
    struct th_reply r = th_write(&d, "POST", path, admin, key, body);
    ck_assert_msg(r.status == 201, "%s: %ld %s", path, r.status, r.body);
    th_reply_free(&r);
}

/* The credit codes of a public list's items, comma-separated, in order. */
static void codes_of(const char *path, char *out, size_t len)
{
    struct th_reply r = th_http(&d, "GET", path, NULL, NULL, 0, NULL);
    ck_assert_msg(r.status == 200, "%s: %ld %s", path, r.status, r.body);
    out[0] = '\0';
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(r.json, "items"), i, item)
    {
        snprintf(out + strlen(out), len - strlen(out), "%s%s", i ? "," : "",
                 json_string_value(json_object_get(item, "credit_code")));
    }
    th_reply_free(&r);
}

static void expect_codes(const char *path, const char *want)
{
    char got[512];
    codes_of(path, got, sizeof got);
    ck_assert_msg(strcmp(got, want) == 0, "%s: [%s], not [%s]", path, got, want);
}

START_TEST(lists_follow_the_entries_dates)
{
    put("/v1/admin/institutions/" INST_A, "a",
        "{\"name\":\"舟山甲培训学校\",\"region\":\"330902\"}", 201);
    put("/v1/admin/institutions/" INST_B, "b",
        "{\"name\":\"嘉兴乙培训中心\",\"region\":\"330402\"}", 201);
    put("/v1/admin/institutions/" INST_C, "c",
        "{\"name\":\"舟山丙培训学校\",\"region\":\"330902\",\"status\":\"suspended\"}", 201);
    put("/v1/admin/evaluation-bodies/" BODY_E, "e",
        "{\"name\":\"舟山市职业技能鉴定中心\",\"region\":\"330902\",\"kind\":\"appraisal_centre\"}",
        201);
    expect_codes("/v1/public/institutions", INST_B "," INST_A);
    expect_codes("/v1/public/institution-lists", "");

    /* a black-list entry that starts tomorrow, one that ended yesterday: nothing changes */
    entry("/v1/admin/institutions", INST_A, "a-1", "black", tomorrow, NULL);
    entry("/v1/admin/institutions", INST_B, "b-1", "black", "2020-01-01", yesterday);
    expect_codes("/v1/public/institutions", INST_B "," INST_A);
    expect_codes("/v1/public/institution-lists", "");
    /* one in force through today (valid_to today): B is listed and no longer admitted */
    entry("/v1/admin/institutions", INST_B, "b-2", "black", yesterday, today);
    expect_codes("/v1/public/institutions", INST_A);
    expect_codes("/v1/public/institution-lists", INST_B);
    expect_codes("/v1/public/institutions?region=330402", "");
    /* a red-list entry from today on; the lists apart; the evaluation bodies' own */
    entry("/v1/admin/institutions", INST_A, "a-2", "red", today, NULL);
    entry("/v1/admin/evaluation-bodies", BODY_E, "e-1", "black", yesterday, NULL);
    expect_codes("/v1/public/institution-lists", INST_B "," INST_A);
    expect_codes("/v1/public/institution-lists?list=red", INST_A);
    expect_codes("/v1/public/institution-lists?list=black", INST_B);
    expect_codes("/v1/public/institution-lists?of=evaluation_body", BODY_E);
    expect_codes("/v1/public/institutions", INST_A);

    /* organisations only: the admitted list's items hold code, name, region and the projects
     * it is admitted to run (none published here; tests/api/test_projects.c) */
    struct th_reply r = th_http(&d, "GET", "/v1/public/institutions", NULL, NULL, 0, NULL);
    json_t *item = json_array_get(json_object_get(r.json, "items"), 0);
    ck_assert_int_eq(json_object_size(item), 4);
    ck_assert_int_eq(json_array_size(json_object_get(item, "projects")), 0);
    ck_assert_str_eq(json_string_value(json_object_get(item, "name")), "舟山甲培训学校");
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/public/institution-lists?list=black", NULL, NULL, 0, NULL);
    item = json_array_get(json_object_get(r.json, "items"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(item, "name")), "嘉兴乙培训中心");
    ck_assert_str_eq(json_string_value(json_object_get(item, "valid_to")), today);
    th_reply_free(&r);

    /* keyset pages */
    r = th_http(&d, "GET", "/v1/public/institution-lists?limit=1", NULL, NULL, 0, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    long long next = json_integer_value(json_object_get(r.json, "next_after"));
    ck_assert(next > 0);
    th_reply_free(&r);
    char path[128];
    snprintf(path, sizeof path, "/v1/public/institution-lists?limit=1&after=%lld", next);
    expect_codes(path, INST_A);
    r = th_http(&d, "GET", "/v1/public/institutions?list=grey&of=x&limit=0", NULL, NULL, 0, NULL);
    const char *bad[] = {"list", "of", "limit"};
    th_expect_fields(&r, 400, bad, 3);
}
END_TEST

START_TEST(csv_by_accept)
{
    const char *h[] = {"Accept: text/csv", NULL};
    struct th_reply r =
        th_http(&d, "GET", "/v1/public/institution-lists?limit=1", NULL, NULL, 0, h);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(th_header(&r, "content-type"), "text/csv; charset=utf-8");
    ck_assert_msg(strncmp(r.body,
                          "\xEF\xBB\xBFid,credit_code,name,list,reason,valid_from,valid_to\r\n",
                          56) == 0,
                  "%s", r.body);
    ck_assert_msg(strstr(r.body, "," INST_B ",嘉兴乙培训中心,black,公示,") != NULL, "%s", r.body);
    ck_assert_ptr_nonnull(th_header(&r, "next-after"));
    th_reply_free(&r);
    /* a name a spreadsheet would run as a formula stays text; a comma is quoted */
    put("/v1/admin/institutions/" INST_D, "d", "{\"name\":\"=1+2,宁波\",\"region\":\"330203\"}",
        201);
    r = th_http(&d, "GET", "/v1/public/institutions", NULL, NULL, 0, h);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.body, "\xEF\xBB\xBF"
                             "credit_code,name,region,projects\r\n" INST_D
                             ",\"'=1+2,宁波\",330203,\r\n" INST_A ",舟山甲培训学校,330902,\r\n");
    ck_assert_ptr_null(th_header(&r, "next-after"));
    th_reply_free(&r);
}
END_TEST

START_TEST(rate_limited_per_address)
{
    struct th_daemon small;
    const char *args[] = {"--public-burst", "3", "--public-rate", "1", NULL};
    th_daemon_start(&small, &pg, args);
    ck_assert_int_ne(small.pid, 0);
    for (int i = 0; i < 3; i++) {
        struct th_reply r = th_http(&small, "GET", "/v1/public/institutions", NULL, NULL, 0, NULL);
        ck_assert_msg(r.status == 200, "request %d: %ld", i, r.status);
        th_reply_free(&r);
    }
    struct th_reply r = th_http(&small, "GET", "/v1/public/institution-lists", NULL, NULL, 0, NULL);
    ck_assert_msg(r.status == 429, "%ld %s", r.status, r.body);
    ck_assert_str_eq(th_header(&r, "content-type"), "application/problem+json");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "code")), 1099);
    long after = atol(th_header(&r, "retry-after"));
    ck_assert_msg(after >= 1 && after <= 60, "Retry-After %ld", after);
    th_reply_free(&r);
    /* the project list (0024) draws on the same bucket */
    r = th_http(&small, "GET", "/v1/public/projects", NULL, NULL, 0, NULL);
    ck_assert_msg(r.status == 429, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    /* the other routes are not counted */
    r = th_http(&small, "GET", "/v1/health", NULL, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    th_reply_free(&r);
    r = th_http(&small, "GET", "/v1/institutions", admin, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    th_reply_free(&r);
    ck_assert_int_eq(th_daemon_stop(&small, SIGTERM), 0);
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_token(&pg, "admin", NULL, NULL, admin);
    char *t =
        th_sql(&pg, "SELECT to_char((now() AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD')"
                    " || to_char((now() AT TIME ZONE 'Asia/Shanghai')::date - 1, 'YYYY-MM-DD')"
                    " || to_char((now() AT TIME ZONE 'Asia/Shanghai')::date + 1, 'YYYY-MM-DD')");
    snprintf(today, sizeof today, "%.10s", t);
    snprintf(yesterday, sizeof yesterday, "%.10s", t + 10);
    snprintf(tomorrow, sizeof tomorrow, "%.10s", t + 20);
    free(t);
    Suite *s = suite_create("public");
    TCase *tc = tcase_create("public");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, lists_follow_the_entries_dates);
    tcase_add_test(tc, csv_by_accept);
    tcase_add_test(tc, rate_limited_per_address);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
