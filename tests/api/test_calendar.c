/* API tier: the working-day calendar (issue 4), writes under Idempotency-Key (R3, R4) and the
 * audit chain (R9). */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], applicant[64];

static const char *const BODY_2030 =
    "{\"source\":\"测试通知\",\"days\":[{\"day\":\"2030-01-01\",\"kind\":\"holiday\","
    "\"name\":\"元旦\"},{\"day\":\"2030-01-05\",\"kind\":\"workday\",\"name\":\"调休\"}]}";

static struct th_reply put(const char *token, const char *key, const char *year, const char *body)
{
    char path[64], hkey[160];
    snprintf(path, sizeof path, "/v1/admin/calendar/%s", year);
    snprintf(hkey, sizeof hkey, "Idempotency-Key: %s", key ? key : "");
    const char *h[] = {"Content-Type: application/json", key ? hkey : NULL, NULL};
    return th_http(&d, "PUT", path, token, body, -1, h);
}

START_TEST(a_loaded_year)
{
    struct th_reply r = th_http(&d, "GET", "/v1/calendar/2021", applicant, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_nonnull(strstr(r.body, "{\"day\":\"2021-02-07\",\"kind\":\"workday\""));
    ck_assert_ptr_nonnull(strstr(r.body, "{\"day\":\"2021-10-01\",\"kind\":\"holiday\""));
    th_reply_free(&r);
    const char *missing[] = {"/v1/calendar/2019", "/v1/calendar/1999", "/v1/calendar/abc"};
    for (size_t i = 0; i < 3; i++) {
        r = th_http(&d, "GET", missing[i], applicant, NULL, 0, NULL);
        ck_assert_int_eq(r.status, 404);
        th_reply_free(&r);
    }
}
END_TEST

START_TEST(working_days_across_holidays)
{
    struct {
        const char *query, *date;
        bool complete;
    } cases[] = {
        {"from=2021-09-28&add=5", "2021-10-11", true}, /* National Day, a Saturday made up */
        {"from=2021-02-10&add=1", "2021-02-18", true}, /* Spring Festival */
        {"from=2021-02-05&add=1", "2021-02-07", true}, /* a Sunday made up */
        {"from=2024-09-30&add=1", "2024-10-08", true},
        {"from=2035-09-30&add=1", "2035-10-01", false}, /* not loaded: plain weeks */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[96];
        snprintf(path, sizeof path, "/v1/working-days?%s", cases[i].query);
        struct th_reply r = th_http(&d, "GET", path, applicant, NULL, 0, NULL);
        ck_assert_msg(r.status == 200, "%s: %ld", path, r.status);
        ck_assert_str_eq(json_string_value(json_object_get(r.json, "date")), cases[i].date);
        ck_assert(json_is_true(json_object_get(r.json, "calendar_complete")) == cases[i].complete);
        th_reply_free(&r);
    }
    struct th_reply r =
        th_http(&d, "GET", "/v1/working-days?from=2021-02-30&add=-1&x=1", applicant, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 400);
    ck_assert(th_problem_has_field(&r, "from"));
    ck_assert(th_problem_has_field(&r, "add"));
    ck_assert(th_problem_has_field(&r, "x"));
    th_reply_free(&r);
}
END_TEST

START_TEST(only_admins_with_a_key_and_a_good_body)
{
    /* the set-up's rows (subsidyctl token create audits each token) are not the requests' */
    long audit = th_count(&pg, "SELECT count(*) FROM audit");
    struct th_reply r = put(applicant, "k-app", "2030", BODY_2030);
    ck_assert_int_eq(r.status, 403);
    th_reply_free(&r);
    r = put(admin, NULL, "2030", BODY_2030);
    ck_assert_int_eq(r.status, 400);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "code")), 1013);
    th_reply_free(&r);
    r = put(
        admin, "k-bad", "2030",
        "{\"source\":\"x\",\"days\":[{\"day\":\"2031-01-01\",\"kind\":\"holiday\",\"name\":\"a\"},"
        "{\"day\":\"2030-01-02\",\"kind\":\"workday\",\"name\":\"b\"},"
        "{\"day\":\"2030-01-05\",\"kind\":\"workday\",\"name\":\"c\"},"
        "{\"day\":\"2030-01-05\",\"kind\":\"holiday\",\"name\":\"d\"},"
        "{\"day\":\"2030-01-06\",\"kind\":\"rest\",\"name\":\"\"}]}");
    ck_assert_int_eq(r.status, 422);
    const char *fields[] = {"days[0].day", "days[1].day", "days[3].day", "days[4].kind",
                            "days[4].name"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        ck_assert_msg(th_problem_has_field(&r, fields[i]), "%s not named: %s", fields[i], r.body);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM calendar_year WHERE year = 2030"), 0);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit"), audit);
}
END_TEST

START_TEST(replays_in_sequence_are_identical)
{
    struct th_reply first = put(admin, "k-seq", "2030", BODY_2030);
    ck_assert_int_eq(first.status, 200);
    ck_assert_ptr_null(th_header(&first, "idempotent-replayed"));
    for (int i = 0; i < 9; i++) {
        struct th_reply again = put(admin, "k-seq", "2030", BODY_2030);
        ck_assert_int_eq(again.status, 200);
        ck_assert_str_eq(again.body, first.body);
        ck_assert_str_eq(th_header(&again, "idempotent-replayed"), "true");
        th_reply_free(&again);
    }
    th_reply_free(&first);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE object_id = '2030'"), 1);
    /* R4: the same key with another body changes nothing */
    struct th_reply other = put(admin, "k-seq", "2030", "{\"source\":\"改\",\"days\":[]}");
    ck_assert_int_eq(other.status, 422);
    ck_assert_int_eq(json_integer_value(json_object_get(other.json, "code")), 1014);
    th_reply_free(&other);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM calendar_day WHERE year = 2030"), 2);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE object_id = '2030'"), 1);
    struct th_reply r =
        th_http(&d, "GET", "/v1/working-days?from=2030-01-04&add=1", admin, NULL, 0, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "date")), "2030-01-05");
    th_reply_free(&r);
}
END_TEST

struct shot {
    long status;
    char *body;
};

static void *fire(void *cls)
{
    struct shot *s = cls;
    struct th_reply r = put(admin, "k-par", "2031",
                            "{\"source\":\"并发\",\"days\":[{\"day\":\"2031-01-01\","
                            "\"kind\":\"holiday\",\"name\":\"元旦\"}]}");
    s->status = r.status;
    s->body = r.body ? strdup(r.body) : NULL;
    th_reply_free(&r);
    return NULL;
}

START_TEST(replays_at_once_are_one_effect)
{
    struct shot shots[10] = {0};
    pthread_t t[10];
    for (int i = 0; i < 10; i++)
        pthread_create(&t[i], NULL, fire, &shots[i]);
    for (int i = 0; i < 10; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 10; i++) {
        ck_assert_msg(shots[i].status == 200, "shot %d: %ld %s", i, shots[i].status, shots[i].body);
        ck_assert_str_eq(shots[i].body, shots[0].body);
    }
    for (int i = 0; i < 10; i++)
        free(shots[i].body);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE object_id = '2031'"), 1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM idempotency WHERE key = 'k-par'"), 1);
}
END_TEST

START_TEST(audit_chain_holds)
{
    const char *verify[] = {"audit", "verify", NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, verify, NULL), 0);
    /* the service's own role may not change the log */
    char ci[512];
    snprintf(ci, sizeof ci, "%s", pg.app_conninfo);
    PGconn *app = PQconnectdb(ci);
    ck_assert_int_eq(PQstatus(app), CONNECTION_OK);
    const char *denied[] = {"UPDATE audit SET action = 'x'", "DELETE FROM audit",
                            "UPDATE audit_head SET seq = 0"};
    for (size_t i = 0; i < 3; i++) {
        PGresult *res = PQexec(app, denied[i]);
        ck_assert_str_eq(PQresultErrorField(res, PG_DIAG_SQLSTATE), "42501");
        PQclear(res);
    }
    PQfinish(app);
    /* a row changed behind the service's back is found */
    free(
        th_sql(&pg, "UPDATE audit SET after = '{\"source\":\"forged\"}' WHERE object_id = '2030'"));
    char out[300];
    snprintf(out, sizeof out, "%s/verify.out", pg.dir);
    ck_assert_int_eq(th_subsidyctl(&pg, verify, out), 1);
    FILE *f = fopen(out, "r");
    char line[256] = "";
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    fclose(f);
    ck_assert_msg(strstr(line, "does not match its hash"), "%s", line);
}
END_TEST

/* ---- a review deadline over a year without its calendar ---- */

#define THREADS                                                                                    \
    1 /* one request at a time on the database: one connection, whose calendar copy every request  \
         uses */

static long log_count(const char *needle)
{
    FILE *f = fopen(d.log_path, "r");
    char line[8192];
    long n = 0;
    while (f && fgets(line, sizeof line, f))
        n += strstr(line, needle) != NULL;
    if (f)
        fclose(f);
    return n;
}

/* Submit a Zhoushan claim and withdraw it (so the next may take the same place); returns
 * review_due_estimated of the reply. */
static bool submit_and_withdraw(int i)
{
    char key[32], path[64];
    snprintf(key, sizeof key, "est-c-%d", i);
    struct th_reply r = th_write(
        &d, "POST", "/v1/claims", applicant, key,
        "{\"region\":\"330902\",\"submit\":true,\"claim\":{\"kind\":\"certificate_training\","
        "\"occupation\":\"6-18-02-04\",\"level\":\"level4\",\"actual_cost_fen\":160000,"
        "\"certificate\":{\"kind\":\"qualification\",\"number\":\"ZS2020-001\","
        "\"issue_date\":\"2020-06-30\"}}}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    ck_assert_ptr_nonnull(json_string_value(json_object_get(r.json, "review_due")));
    json_t *flag = json_object_get(r.json, "review_due_estimated");
    ck_assert(json_is_boolean(flag));
    bool estimated = json_is_true(flag);
    snprintf(path, sizeof path, "/v1/claims/%lld/withdraw",
             (long long)json_integer_value(json_object_get(r.json, "id")));
    th_reply_free(&r);
    snprintf(key, sizeof key, "est-w-%d", i);
    r = th_write(&d, "POST", path, applicant, key, "{\"reason\":\"测试\"}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    return estimated;
}

static bool ready_warns(int year)
{
    struct th_reply r = th_http(&d, "GET", "/v1/ready", NULL, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    char text[64];
    snprintf(text, sizeof text, "calendar %d not loaded", year);
    bool warned = false, listed = false;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(r.json, "warnings"), i, v) warned |=
        strstr(json_string_value(v), text) != NULL;
    json_array_foreach(json_object_get(r.json, "calendar_years"), i, v) listed |=
        json_integer_value(v) == year;
    th_reply_free(&r);
    ck_assert(warned != listed);
    return warned;
}

START_TEST(review_due_estimated_without_the_calendar)
{
    th_occupations(
        &pg); /* claims name listed occupations (after the tests that count audit rows) */
    time_t now = time(NULL) + 8 * 3600; /* the service's day is Asia/Shanghai's */
    struct tm tm;
    gmtime_r(&now, &tm);
    int year = tm.tm_year + 1900;
    char sql[200], body[300];
    snprintf(sql, sizeof sql,
             "DELETE FROM calendar_day WHERE year IN (%d, %d);"
             "DELETE FROM calendar_year WHERE year IN (%d, %d)",
             year, year + 1, year, year + 1);
    free(th_sql(&pg, sql));
    struct th_reply r = th_write(&d, "PUT", "/v1/profile", applicant, "est-p",
                                 "{\"id_number\":\"330902198001010062\",\"name\":\"张三\","
                                 "\"hukou_region\":\"330902\"}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);

    ck_assert(ready_warns(year));
    for (int i = 0; i < 2 * THREADS + 1; i++)
        ck_assert(submit_and_withdraw(i));
    /* one warning per worker and year, not one per claim */
    char needle[64];
    snprintf(needle, sizeof needle, "\"msg\":\"calendar not loaded\",\"year\":%d", year);
    ck_assert(th_log_wait(&d, needle, 2.0));
    ck_assert_int_le(log_count(needle), THREADS);
    /* the stored claim keeps saying so */
    r = th_http(&d, "GET", "/v1/claims?limit=1", applicant, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    json_t *first = json_array_get(json_object_get(r.json, "items"), 0);
    ck_assert(json_is_true(json_object_get(first, "review_due_estimated")));
    th_reply_free(&r);

    /* with this year's and next year's calendars loaded, the deadline is exact again at once */
    for (int y = year; y <= year + 1; y++) {
        char yt[16], key[32];
        snprintf(yt, sizeof yt, "%d", y);
        snprintf(key, sizeof key, "est-cal-%d", y);
        snprintf(body, sizeof body, "{\"source\":\"测试\",\"days\":[]}");
        r = put(admin, key, yt, body);
        ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
        th_reply_free(&r);
    }
    ck_assert(!ready_warns(year));
    ck_assert(!ready_warns(year + 1));
    ck_assert(!submit_and_withdraw(100));
}
END_TEST

int main(void)
{
    const char *args[] = {"--threads", "1", NULL}; /* THREADS */
    th_start(&pg, &d, args);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_token(&pg, "applicant", "330902198001010062", NULL, applicant);
    Suite *s = suite_create("calendar");
    TCase *tc = tcase_create("admin");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, a_loaded_year);
    tcase_add_test(tc, working_days_across_holidays);
    tcase_add_test(tc, only_admins_with_a_key_and_a_good_body);
    tcase_add_test(tc, replays_in_sequence_are_identical);
    tcase_add_test(tc, replays_at_once_are_one_effect);
    tcase_add_test(tc, review_due_estimated_without_the_calendar);
    tcase_add_test(tc, audit_chain_holds);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
