/* API tier: one definition per policy question (issue 11).  The catalog version in force is the
 * same for GET /v1/catalogs?on= and for a submission: the latest effective date on or before the
 * day, so a back-dated upload is in force only until the next effective date.  A person with
 * more earlier claims than a judgement reads is refused (history_too_long), never judged on part
 * of them. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], worker[64], worker_id[19];

#define CLAIM(occupation, level, no)                                                               \
    "{\"region\":\"330902\",\"submit\":true,\"dry_run\":true,\"claim\":{\"kind\":"                 \
    "\"certificate_training\",\"occupation\":\"" occupation "\",\"level\":\"" level                \
    "\",\"certificate\":{\"kind\":\"qualification\",\"number\":\"" no                              \
    "\",\"issue_date\":\"2020-06-30\"},\"actual_cost_fen\":200000}}"

static const char *problem_code(const json_t *problem)
{
    return json_string_value(json_object_get(problem, "code")) ?: "";
}

static bool has_problem(const struct th_reply *r, const char *code, const char *field)
{
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(r->json, "problems"), i, p)
    {
        if (strcmp(problem_code(p), code) == 0 &&
            strcmp(json_string_value(json_object_get(p, "field")) ?: "", field) == 0)
            return true;
    }
    return false;
}

static long long publish(const char *key, const char *effective_from, long long standard_fen)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"policy\":\"zhoushan-2019\",\"year\":2020,\"effective_from\":\"%s\","
             "\"source\":\"舟山市2020年目录\",\"entries\":[{\"occupation\":\"6-18-02-09\","
             "\"occupation_name\":\"电工\",\"level\":\"level3\",\"standard_fen\":%lld,"
             "\"shortage\":true}]}",
             effective_from, standard_fen);
    struct th_reply r = th_write(&d, "POST", "/v1/admin/catalogs", admin, key, body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    long long id = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    return id;
}

/* The id of the one version GET /v1/catalogs?on= lists for zhoushan-2019, 2020. */
static long long in_force_on(const char *day)
{
    char path[128];
    snprintf(path, sizeof path, "/v1/catalogs?policy=zhoushan-2019&year=2020&on=%s", day);
    struct th_reply r = th_http(&d, "GET", path, worker, NULL, 0, NULL);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    json_t *items = json_object_get(r.json, "items");
    ck_assert_int_eq(json_array_size(items), 1);
    long long id = json_integer_value(json_object_get(json_array_get(items, 0), "id"));
    th_reply_free(&r);
    return id;
}

START_TEST(a_back_dated_upload_is_in_force_until_the_next_date)
{
    long long june = publish("cat-june", "2020-06-01", 140000);
    /* published later, effective earlier: version 2, in force from January to May only */
    long long january = publish("cat-january", "2020-01-01", 100000);
    ck_assert_int_eq(in_force_on("2020-03-01"), january);
    ck_assert_int_eq(in_force_on("2020-06-01"), june);
    ck_assert_int_eq(in_force_on("2030-01-01"), june);
    /* the submission (judged today) reads the same version as ?on= today */
    struct th_reply r = th_write(&d, "POST", "/v1/claims", worker, "bd-claim",
                                 CLAIM("6-18-02-09", "level3", "BD-1"));
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    json_t *trace = json_object_get(json_object_get(r.json, "decision"), "trace");
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_object_get(trace, "catalog"), "standard_fen")),
        140000);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "amount_fen")), 140000);
    th_reply_free(&r);
}
END_TEST

/* n more withdrawn claims of the worker's person, copies of claim id. */
static void copies(long long id, int n)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO claim (owner_role, owner_subject, person_id, region, employer, kind,"
             " occupation, level, state, input, year, counts_quota, unique_occupation_level,"
             " once_per_year, same_key, policy_id, policy_version, catalog_id, amount_fen,"
             " decision, review_due, submitted_at)"
             " SELECT owner_role, owner_subject, person_id, region, employer, kind, occupation,"
             " level, state, input, year, counts_quota, unique_occupation_level, once_per_year,"
             " same_key, policy_id, policy_version, catalog_id, amount_fen, decision, review_due,"
             " submitted_at FROM claim, generate_series(1, %d) WHERE id = %lld",
             n, id);
    free(th_sql(&pg, sql));
}

START_TEST(a_long_history_is_refused_not_cut)
{
    struct th_reply r = th_write(&d, "POST", "/v1/claims", worker, "h-0",
                                 "{\"region\":\"330902\",\"submit\":true,\"claim\":{\"kind\":"
                                 "\"certificate_training\",\"occupation\":\"6-18-02-04\","
                                 "\"level\":\"level4\",\"certificate\":{\"kind\":"
                                 "\"qualification\",\"number\":\"H-0\",\"issue_date\":"
                                 "\"2020-06-30\"},\"actual_cost_fen\":160000}}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    long long id = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    char path[96];
    snprintf(path, sizeof path, "/v1/claims/%lld/withdraw", id);
    r = th_write(&d, "POST", path, worker, "h-1", "{}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    /* 64 earlier claims (the earlier test's dry run wrote none): all of them are read */
    copies(id, 63);
    r = th_write(&d, "POST", "/v1/claims", worker, "h-64", CLAIM("6-18-02-04", "level4", "H-2"));
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    /* one more: the person is not judged on the newest 64 alone */
    copies(id, 1);
    r = th_write(&d, "POST", "/v1/claims", worker, "h-65", CLAIM("6-18-02-04", "level4", "H-2"));
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "code")), 4000);
    ck_assert(has_problem(&r, "history_too_long", "person"));
    th_reply_free(&r);
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_resident_id(worker_id, "330902", 1990, 21);
    th_token(&pg, "applicant", worker_id, NULL, worker);
    if (!th_profile(&d, worker, worker_id, "330902")) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("claims_flow");
    TCase *tc = tcase_create("policy_questions");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, a_back_dated_upload_is_in_force_until_the_next_date);
    tcase_add_test(tc, a_long_history_is_refused_not_cut);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
