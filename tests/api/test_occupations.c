/* API tier: the reference list of occupations (国家职业分类大典) — one spelling of a code, the
 * admin import (JSON and CSV, every bad row at once, replays, renames, audit), the list pages,
 * and catalogs and claims that name an occupation not in the list. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], approver[64], worker[64];

#define WORKER_ID "330902199001011238"

static struct th_reply post(const char *path, const char *key, const char *type, const char *body)
{
    char ct[64], hkey[96];
    snprintf(ct, sizeof ct, "Content-Type: %s", type);
    snprintf(hkey, sizeof hkey, "Idempotency-Key: %s", key);
    const char *h[] = {ct, hkey, NULL};
    return th_http(&d, "POST", path, admin, body, -1, h);
}

static bool has_rule_problem(const struct th_reply *r, const char *code, const char *field)
{
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(r->json, "problems"), i, p)
    {
        if (!strcmp(json_string_value(json_object_get(p, "code")) ?: "", code) &&
            !strcmp(json_string_value(json_object_get(p, "field")) ?: "", field))
            return true;
    }
    return false;
}

static const char *const CATALOG =
    "{\"policy\":\"jiaxing-2019\",\"year\":2020,\"effective_from\":\"2020-01-01\","
    "\"source\":\"目录\",\"entries\":["
    "{\"occupation\":\"6-18-2-4\",\"occupation_name\":\"焊工\",\"level\":\"level4\","
    "\"standard_fen\":150000},"
    "{\"occupation\":\"6-18-02-05\",\"occupation_name\":\"焊工\",\"level\":\"level4\","
    "\"standard_fen\":-1},"
    "{\"occupation\":\"4-10-01-01\",\"occupation_name\":\"保育员\",\"level\":\"level5\","
    "\"standard_fen\":100000}]}";

START_TEST(catalog_before_the_list_names_every_unknown_occupation)
{
    /* nothing loaded yet: every entry's occupation is unknown, beside the other bad field */
    struct th_reply r = post("/v1/admin/catalogs", "cat-0", "application/json", CATALOG);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert(th_problem_has_field(&r, "entries[0].occupation"));
    ck_assert(th_problem_has_field(&r, "entries[1].occupation"));
    ck_assert(th_problem_has_field(&r, "entries[1].standard_fen"));
    ck_assert(th_problem_has_field(&r, "entries[2].occupation"));
    th_reply_free(&r);
    /* a code the 大典 cannot have is a format error that says the format */
    r = post("/v1/admin/catalogs", "cat-0b", "text/csv",
             "occupation,occupation_name,level,standard_fen\n9-99-99-99,虚构,level4,100\n");
    ck_assert_int_eq(r.status, 422);
    ck_assert(th_problem_has_field(&r, "entries[0].occupation"));
    ck_assert_ptr_nonnull(strstr(r.body, "N-NN-NN-NN"));
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM catalog"), 0);
}
END_TEST

START_TEST(import_bad_rows_all_named_nothing_stored)
{
    struct th_reply r = post("/v1/admin/occupations", "occ-bad", "application/json",
                             "{\"source\":\"大典 2015\",\"occupations\":["
                             "{\"code\":\"9-99-99-99\",\"name\":\"虚构\"},"
                             "{\"code\":\"6-18-02-04\",\"name\":\"\"},"
                             "{\"code\":\"6-18-2-4\",\"name\":\"焊工\"},"
                             "{\"code\":\"6-18-02-0A\",\"name\":\"x\"}]}");
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert(th_problem_has_field(&r, "occupations[0].code"));
    ck_assert(th_problem_has_field(&r, "occupations[1].name"));
    ck_assert(th_problem_has_field(&r, "occupations[2].code")); /* 6-18-02-04 again */
    ck_assert(th_problem_has_field(&r, "occupations[3].code"));
    /* the message says what is allowed */
    ck_assert_ptr_nonnull(strstr(r.body, "N-NN-NN-NN"));
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM occupation"), 0);
    r = th_http(&d, "POST", "/v1/admin/occupations", approver, "{}", -1,
                (const char *[]){"Content-Type: application/json", "Idempotency-Key: x", NULL});
    ck_assert_int_eq(r.status, 403);
    th_reply_free(&r);
}
END_TEST

START_TEST(import_json_and_csv_replay_rename_audit)
{
    const char *body = "{\"source\":\"大典 2015\",\"occupations\":["
                       "{\"code\":\"6-18-2-4\",\"name\":\"焊工\"},"
                       "{\"code\":\"6-18-02-05\",\"name\":\"气焊工\"},"
                       "{\"code\":\"4-10-01-01\",\"name\":\"保育员\"}]}";
    struct th_reply r = post("/v1/admin/occupations", "occ-1", "application/json", body);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "added")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "renamed")), 0);
    th_reply_free(&r);
    r = post("/v1/admin/occupations", "occ-1", "application/json", body);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(th_header(&r, "idempotent-replayed"), "true");
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM occupation WHERE code = '6-18-02-04'"), 1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'occupation.import'"),
                     1);
    /* a CSV re-import renames one, adds one, leaves the third */
    r = post("/v1/admin/occupations?source=%E5%A4%A7%E5%85%B8", "occ-2", "text/csv",
             "code,name\n6-18-02-04,焊工（电焊）\n6-18-2-9,锻造工\n4-10-1-1,保育员\n");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "added")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "renamed")), 1);
    th_reply_free(&r);
    char *name = th_sql(&pg, "SELECT name FROM occupation WHERE code = '6-18-02-04'");
    ck_assert_str_eq(name, "焊工（电焊）");
    free(name);
    /* bad CSV rows are named as the JSON ones */
    r = post("/v1/admin/occupations?source=x", "occ-3", "text/csv",
             "code,name\n6-18-02-04x,焊工\n");
    ck_assert_int_eq(r.status, 422);
    ck_assert(th_problem_has_field(&r, "occupations[0].code"));
    th_reply_free(&r);
}
END_TEST

/* subsidyctl: the set-up's sample goes only into an empty list; a bad file loads nothing. */
START_TEST(subsidyctl_loads_only_into_an_empty_list_with_if_empty)
{
    long before = th_count(&pg, "SELECT count(*) FROM occupation");
    char sample[512];
    snprintf(sample, sizeof sample, "%s/sql/ref/occupations.csv", th_source_root());
    const char *if_empty[] = {"occupations", "load", "--if-empty", sample, NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, if_empty, NULL), 0);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM occupation"), before);
    char path[] = "/tmp/sd-occ-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs("code,name\n6-18-03-01,x\n9-99-99-99,虚构\n", f);
    fclose(f);
    const char *bad[] = {"occupations", "load", path, NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, bad, NULL), 1);
    unlink(path);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM occupation"), before);
}
END_TEST

START_TEST(list_pages_and_prefix)
{
    struct th_reply r = th_http(&d, "GET", "/v1/occupations?limit=2", worker, NULL, 0, NULL);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    json_t *items = json_object_get(r.json, "items");
    ck_assert_int_eq(json_array_size(items), 2);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "code")),
                     "4-10-01-01");
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "next_after")), "6-18-02-04");
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/occupations?after=6-18-02-04", worker, NULL, 0, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 2);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/occupations?q=6-18", approver, NULL, 0, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 3);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/occupations?q=%E4%BF%9D%E8%82%B2", approver, NULL, 0,
                NULL); /* 保育 */
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/occupations?limit=0&x=1", approver, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 400);
    ck_assert(th_problem_has_field(&r, "limit"));
    ck_assert(th_problem_has_field(&r, "x"));
    th_reply_free(&r);
}
END_TEST

START_TEST(catalog_with_the_list_stores_canonical_codes)
{
    /* 6-18-02-05 is listed now: only its bad amount is left */
    struct th_reply r = post("/v1/admin/catalogs", "cat-1", "application/json", CATALOG);
    ck_assert_int_eq(r.status, 422);
    ck_assert(!th_problem_has_field(&r, "entries[0].occupation"));
    ck_assert(!th_problem_has_field(&r, "entries[1].occupation"));
    ck_assert(th_problem_has_field(&r, "entries[1].standard_fen"));
    th_reply_free(&r);
    r = post("/v1/admin/catalogs", "cat-2", "application/json",
             "{\"policy\":\"jiaxing-2019\",\"year\":2020,\"effective_from\":\"2020-01-01\","
             "\"source\":\"目录\",\"entries\":[{\"occupation\":\"6-18-2-4\",\"occupation_name\":"
             "\"焊工\",\"level\":\"level4\",\"standard_fen\":150000},{\"occupation\":\"6-18-3-1\","
             "\"occupation_name\":\"未列入\",\"level\":\"level4\",\"standard_fen\":1}]}");
    ck_assert_int_eq(r.status, 422);
    ck_assert(!th_problem_has_field(&r, "entries[0].occupation"));
    ck_assert(th_problem_has_field(&r, "entries[1].occupation"));
    th_reply_free(&r);
    r = post("/v1/admin/catalogs", "cat-3", "application/json",
             "{\"policy\":\"jiaxing-2019\",\"year\":2020,\"effective_from\":\"2020-01-01\","
             "\"source\":\"目录\",\"entries\":[{\"occupation\":\"6-18-2-4\",\"occupation_name\":"
             "\"焊工\",\"level\":\"level4\",\"standard_fen\":150000}]}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    ck_assert_int_eq(
        th_count(&pg, "SELECT count(*) FROM catalog_entry WHERE occupation = '6-18-02-04'"), 1);
    /* subsidyctl refuses the same unknown occupation */
    char path[] = "/tmp/sd-occ-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs("occupation,occupation_name,level,standard_fen\n6-18-03-01,未列入,level4,100\n", f);
    fclose(f);
    const char *args[] = {
        "catalog",    "import",   "--policy", "jiaxing-2019", "--year", "2021", "--effective-from",
        "2021-01-01", "--source", "s",        path,           NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, args, NULL), 1);
    unlink(path);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM catalog WHERE year = 2021"), 0);
}
END_TEST

START_TEST(claim_with_an_unknown_occupation_is_told_with_the_rest)
{
    /* 6-18-03-01 is not listed; the actual cost is missing too: both in one answer */
    struct th_reply r = th_write(
        &d, "POST", "/v1/claims", worker, "cl-1",
        "{\"region\":\"330902\",\"submit\":true,\"claim\":{\"kind\":\"certificate_training\","
        "\"occupation\":\"6-18-3-1\",\"level\":\"level4\",\"certificate\":{\"kind\":"
        "\"qualification\",\"number\":\"ZS-OCC-1\",\"issue_date\":\"2020-06-30\"}}}");
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert(has_rule_problem(&r, "occupation_unknown", "claim.occupation"));
    ck_assert(has_rule_problem(&r, "actual_cost_missing", "claim.actual_cost_fen"));
    th_reply_free(&r);
    /* and with a bad field beside it, the same problem goes with the field errors */
    r = th_write(&d, "POST", "/v1/claims", worker, "cl-2",
                 "{\"region\":\"330902\",\"submit\":true,\"claim\":{\"kind\":"
                 "\"certificate_training\",\"occupation\":\"6-18-3-1\",\"level\":\"level4\","
                 "\"certificate\":{\"kind\":\"qualification\",\"number\":\"ZS-OCC-1\","
                 "\"issue_date\":\"2020-06-30\"},\"actual_cost_fen\":-5}}");
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert(th_problem_has_field(&r, "claim.actual_cost_fen"));
    ck_assert(has_rule_problem(&r, "occupation_unknown", "claim.occupation"));
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM claim"), 0);
    /* listed: granted, and stored in the one spelling */
    r = th_write(&d, "POST", "/v1/claims", worker, "cl-3",
                 "{\"region\":\"330902\",\"submit\":true,\"claim\":{\"kind\":"
                 "\"certificate_training\",\"occupation\":\"6-18-2-4\",\"level\":\"level4\","
                 "\"certificate\":{\"kind\":\"qualification\",\"number\":\"ZS-OCC-1\","
                 "\"issue_date\":\"2020-06-30\"},\"actual_cost_fen\":160000}}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "occupation")), "6-18-02-04");
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM claim WHERE occupation = '6-18-02-04'"
                                   " AND input->'claim'->>'occupation' = '6-18-02-04'"),
                     1);
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_token(&pg, "approver", NULL, "330900", approver);
    th_token(&pg, "applicant", WORKER_ID, NULL, worker);
    if (!th_profile(&d, worker, WORKER_ID, "330902")) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("occupations");
    TCase *tc = tcase_create("occupations");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, catalog_before_the_list_names_every_unknown_occupation);
    tcase_add_test(tc, import_bad_rows_all_named_nothing_stored);
    tcase_add_test(tc, import_json_and_csv_replay_rename_audit);
    tcase_add_test(tc, subsidyctl_loads_only_into_an_empty_list_with_if_empty);
    tcase_add_test(tc, list_pages_and_prefix);
    tcase_add_test(tc, catalog_with_the_list_stores_canonical_codes);
    tcase_add_test(tc, claim_with_an_unknown_occupation_is_told_with_the_rest);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    int st = th_finish(&pg, &d);
    return failed || st ? 1 : 0;
}
