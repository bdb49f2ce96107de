/* API tier: subsidy catalogs (issue 4) — JSON and CSV uploads, every bad row and field in one
 * reply with nothing written, immutability of published versions, supersession by date, keyset
 * pages, roles and idempotent replays. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], approver[64];

static struct th_reply upload(const char *key, const char *type, const char *query,
                              const char *body)
{
    char path[256], ct[64], hkey[96];
    snprintf(path, sizeof path, "/v1/admin/catalogs%s", query ? query : "");
    snprintf(ct, sizeof ct, "Content-Type: %s", type);
    snprintf(hkey, sizeof hkey, "Idempotency-Key: %s", key);
    const char *h[] = {ct, hkey, NULL};
    return th_http(&d, "POST", path, admin, body, -1, h);
}

static const char *const JSON_V1 =
    "{\"policy\":\"jiaxing-2019\",\"year\":2020,\"effective_from\":\"2020-01-01\","
    "\"source\":\"嘉兴市2020年职业技能培训补贴目录\",\"entries\":["
    "{\"occupation\":\"6-18-02-04\",\"occupation_name\":\"焊工\",\"level\":\"level4\","
    "\"standard_fen\":150000,\"shortage\":true},"
    "{\"occupation\":\"4-10-01-01\",\"occupation_name\":\"保育员\",\"level\":\"level5\","
    "\"standard_fen\":100000}]}";

START_TEST(json_upload_and_reads)
{
    struct th_reply r = upload("cat-1", "application/json", NULL, JSON_V1);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "entry_count")), 2);
    long long id = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    struct th_reply again = upload("cat-1", "application/json", NULL, JSON_V1);
    ck_assert_int_eq(again.status, 201);
    ck_assert_str_eq(th_header(&again, "idempotent-replayed"), "true");
    th_reply_free(&again);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM catalog"), 1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'catalog.publish'"),
                     1);

    char path[96];
    snprintf(path, sizeof path, "/v1/catalogs/%lld/entries?limit=1", id);
    r = th_http(&d, "GET", path, approver, NULL, 0, NULL); /* any role reads */
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    const char *next = json_string_value(json_object_get(r.json, "next_after"));
    ck_assert_str_eq(next, "4-10-01-01/level5");
    th_reply_free(&r);
    snprintf(path, sizeof path, "/v1/catalogs/%lld/entries?after=4-10-01-01/level5", id);
    r = th_http(&d, "GET", path, approver, NULL, 0, NULL);
    json_t *e = json_array_get(json_object_get(r.json, "items"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(e, "occupation")), "6-18-02-04");
    ck_assert_int_eq(json_integer_value(json_object_get(e, "standard_fen")), 150000);
    ck_assert(json_is_true(json_object_get(e, "shortage")));
    ck_assert(json_is_null(json_object_get(r.json, "next_after")));
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/catalogs/999999", approver, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
}
END_TEST

START_TEST(csv_with_bad_rows_writes_nothing)
{
    long before = th_count(&pg, "SELECT count(*) FROM catalog");
    const char *csv = "occupation,occupation_name,level,standard_fen,shortage\n"
                      "6-18-02-04,焊工,level4,160000,是\n"
                      "\"4-10-01-01\",\"保育员, 初级\",level5,x,maybe\n"
                      "4-10-01-01,保育员,level9,100,\n"
                      "6-18-02-04,焊工,level4,-5,否\n"
                      "short,row\n";
    struct th_reply r = upload("cat-bad", "text/csv",
                               "?policy=jiaxing-2019&year=2020&effective_from=2020-07-01"
                               "&source=csv",
                               csv);
    ck_assert_int_eq(r.status, 422);
    const char *fields[] = {"csv line 6"};
    for (size_t i = 0; i < 1; i++)
        ck_assert_msg(th_problem_has_field(&r, fields[i]), "%s: %s", fields[i], r.body);
    th_reply_free(&r);
    csv = "occupation,occupation_name,level,standard_fen,shortage\n"
          "6-18-02-04,焊工,level4,160000,是\n"
          "\"4-10-01-01\",\"保育员, 初级\",level5,x,maybe\n"
          "4-10-01-01,保育员,level9,100,\n"
          "6-18-02-04,焊工,level4,-5,否\n";
    r = upload("cat-bad2", "text/csv",
               "?policy=nowhere-2019&year=2020&effective_from=2020-02-30&source=csv", csv);
    ck_assert_int_eq(r.status, 422);
    const char *all[] = {"policy",
                         "effective_from",
                         "entries[1].standard_fen",
                         "entries[1].shortage",
                         "entries[2].level",
                         "entries[3].standard_fen",
                         "entries[3].level"};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        ck_assert_msg(th_problem_has_field(&r, all[i]), "%s not named: %s", all[i], r.body);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM catalog"), before);
    ck_assert_int_eq(
        th_count(&pg, "SELECT count(*) FROM catalog_entry WHERE standard_fen = 160000"), 0);
}
END_TEST

START_TEST(newer_version_supersedes_from_its_date)
{
    const char *csv = "occupation,occupation_name,level,standard_fen,shortage\n"
                      "6-18-02-04,焊工,level4,160000,是\n";
    struct th_reply r = upload("cat-2", "text/csv",
                               "?policy=jiaxing-2019&year=2020&effective_from=2020-07-01"
                               "&source=%E4%BF%AE%E8%AE%A2",
                               csv);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 2);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "source")), "修订");
    th_reply_free(&r);
    struct {
        const char *on;
        int version;
    } days[] = {{"2020-06-30", 1}, {"2020-07-01", 2}, {"2020-12-31", 2}};
    for (size_t i = 0; i < 3; i++) {
        char path[128];
        snprintf(path, sizeof path, "/v1/catalogs?policy=jiaxing-2019&year=2020&on=%s", days[i].on);
        r = th_http(&d, "GET", path, approver, NULL, 0, NULL);
        json_t *items = json_object_get(r.json, "items");
        ck_assert_int_eq(json_array_size(items), 1);
        ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(items, 0), "version")),
                         days[i].version);
        th_reply_free(&r);
    }
    r = th_http(&d, "GET", "/v1/catalogs?policy=jiaxing-2019", approver, NULL, 0, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 2);
    th_reply_free(&r);
}
END_TEST

START_TEST(published_is_immutable_and_admin_only)
{
    PGconn *app = PQconnectdb(pg.app_conninfo);
    const char *sql[] = {"UPDATE catalog_entry SET standard_fen = 1", "DELETE FROM catalog"};
    for (size_t i = 0; i < 2; i++) {
        PGresult *res = PQexec(app, sql[i]);
        ck_assert_int_eq(PQresultStatus(res), PGRES_FATAL_ERROR);
        PQclear(res);
    }
    PQfinish(app);
    /* not even the owner can change a published version: the trigger refuses */
    PGconn *super = th_pg_super(&pg);
    PGresult *res = PQexec(super, "UPDATE catalog_entry SET standard_fen = 1");
    ck_assert_str_eq(PQresultErrorField(res, PG_DIAG_SQLSTATE), "P0001");
    PQclear(res);
    PQfinish(super);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM catalog_entry WHERE standard_fen = 1"), 0);

    const char *h[] = {"Content-Type: application/json", "Idempotency-Key: cat-appr", NULL};
    struct th_reply r = th_http(&d, "POST", "/v1/admin/catalogs", approver, JSON_V1, -1, h);
    ck_assert_int_eq(r.status, 403);
    th_reply_free(&r);
    const char *plain[] = {"Content-Type: text/plain", "Idempotency-Key: cat-plain", NULL};
    r = th_http(&d, "POST", "/v1/admin/catalogs", admin, "x", -1, plain);
    ck_assert_int_eq(r.status, 415);
    th_reply_free(&r);
}
END_TEST

START_TEST(subsidyctl_imports_csv)
{
    char path[300];
    snprintf(path, sizeof path, "%s/ningbo.csv", pg.dir);
    FILE *f = fopen(path, "w");
    fputs("occupation,occupation_name,level,standard_fen,shortage,position_month_fen\n"
          "6-18-02-04,焊工,level2,300000,是,40000\n",
          f);
    fclose(f);
    const char *args[] = {
        "catalog",          "import",     "--policy", "ningbo-2019", "--year", "2020",
        "--effective-from", "2020-01-01", "--source", "宁波目录",    path,     NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, args, NULL), 0);
    struct th_reply r = th_http(&d, "GET", "/v1/catalogs?policy=ningbo-2019&on=2020-05-01",
                                approver, NULL, 0, NULL);
    json_t *items = json_object_get(r.json, "items");
    ck_assert_int_eq(json_array_size(items), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(items, 0), "entry_count")),
                     1);
    th_reply_free(&r);
    ck_assert_int_eq(
        th_count(&pg, "SELECT count(*) FROM catalog_entry WHERE position_month_fen = 40000"), 1);
    /* a bad file publishes nothing */
    f = fopen(path, "w");
    fputs("occupation,occupation_name,level,standard_fen\n6-18-02-04,焊工,level7,-1\n", f);
    fclose(f);
    long before = th_count(&pg, "SELECT count(*) FROM catalog");
    ck_assert_int_eq(th_subsidyctl(&pg, args, NULL), 1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM catalog"), before);
}
END_TEST

/* subsidyctl catalog import of one Ningbo 2021 row with its shortage uplift; its exit code. */
static int import_ningbo_2021(const char *row)
{
    char file[300];
    snprintf(file, sizeof file, "%s/uplift.csv", pg.dir);
    FILE *f = fopen(file, "w");
    fprintf(f, "occupation,occupation_name,level,standard_fen,shortage,shortage_uplift_fen\n%s",
            row);
    fclose(f);
    const char *args[] = {
        "catalog",          "import",     "--policy", "ningbo-2019", "--year", "2021",
        "--effective-from", "2021-04-01", "--source", "宁波目录",    file,     NULL};
    return th_subsidyctl(&pg, args, NULL);
}

/* 宁波 四(四): an entry may state the part of its standard that is the shortage uplift; JSON,
 * CSV and subsidyctl store it, the entries read it back (0 where not stated), and a split that
 * leaves no base, a negative one or one on a non-shortage entry is refused, naming the field. */
START_TEST(shortage_uplift_split)
{
    const char *json =
        "{\"policy\":\"ningbo-2019\",\"year\":2021,\"effective_from\":\"2021-01-01\","
        "\"source\":\"宁波目录（基准与紧缺上浮）\",\"entries\":["
        "{\"occupation\":\"6-18-02-04\",\"occupation_name\":\"焊工\",\"level\":\"level3\","
        "\"standard_fen\":120000,\"shortage\":true,\"shortage_uplift_fen\":20000},"
        "{\"occupation\":\"6-18-02-04\",\"occupation_name\":\"焊工\",\"level\":\"level4\","
        "\"standard_fen\":100000,\"shortage\":true}]}";
    struct th_reply r = upload("cat-uplift", "application/json", NULL, json);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    long long id = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    char path[96];
    snprintf(path, sizeof path, "/v1/catalogs/%lld/entries", id);
    r = th_http(&d, "GET", path, approver, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    json_t *items = json_object_get(r.json, "items");
    ck_assert_int_eq(json_array_size(items), 2);
    json_t *l3 = json_array_get(items, 0), *l4 = json_array_get(items, 1);
    ck_assert_str_eq(json_string_value(json_object_get(l3, "level")), "level3");
    ck_assert_int_eq(json_integer_value(json_object_get(l3, "standard_fen")), 120000);
    ck_assert_int_eq(json_integer_value(json_object_get(l3, "shortage_uplift_fen")), 20000);
    ck_assert_int_eq(json_integer_value(json_object_get(l4, "shortage_uplift_fen")), 0);
    th_reply_free(&r);

    /* CSV, from the API and from subsidyctl */
    const char *csv = "occupation,occupation_name,level,standard_fen,shortage,shortage_uplift_fen\n"
                      "6-18-02-04,焊工,level2,150000,是,30000\n"
                      "4-10-01-01,保育员,level5,100000,否,\n";
    r = upload("cat-uplift-csv", "text/csv",
               "?policy=ningbo-2019&year=2021&effective_from=2021-03-01&source=csv", csv);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM catalog_entry WHERE level = 'level2'"
                                   " AND standard_fen = 150000 AND shortage_uplift_fen = 30000"),
                     1);
    ck_assert_int_eq(import_ningbo_2021("6-18-02-04,焊工,level1,180000,是,40000\n"), 0);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM catalog_entry WHERE level = 'level1'"
                                   " AND shortage_uplift_fen = 40000"),
                     1);

    /* bad splits: every one named, nothing written */
    long before = th_count(&pg, "SELECT count(*) FROM catalog");
    const char *bad =
        "{\"policy\":\"ningbo-2019\",\"year\":2021,\"effective_from\":\"2021-06-01\","
        "\"source\":\"bad\",\"entries\":["
        "{\"occupation\":\"6-18-02-04\",\"occupation_name\":\"焊工\",\"level\":\"level3\","
        "\"standard_fen\":120000,\"shortage\":true,\"shortage_uplift_fen\":130000},"
        "{\"occupation\":\"6-18-02-04\",\"occupation_name\":\"焊工\",\"level\":\"level4\","
        "\"standard_fen\":100000,\"shortage\":true,\"shortage_uplift_fen\":-1},"
        "{\"occupation\":\"6-18-02-04\",\"occupation_name\":\"焊工\",\"level\":\"level5\","
        "\"standard_fen\":80000,\"shortage_uplift_fen\":10000},"
        "{\"occupation\":\"6-18-02-04\",\"occupation_name\":\"焊工\",\"level\":\"level2\","
        "\"standard_fen\":90000,\"shortage\":true,\"shortage_uplift_fen\":90000}]}";
    r = upload("cat-uplift-bad", "application/json", NULL, bad);
    ck_assert_int_eq(r.status, 422);
    const char *fields[] = {"entries[0].shortage_uplift_fen", "entries[1].shortage_uplift_fen",
                            "entries[2].shortage_uplift_fen", "entries[3].shortage_uplift_fen"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        ck_assert_msg(th_problem_has_field(&r, fields[i]), "%s not named: %s", fields[i], r.body);
    ck_assert_msg(strstr(r.body, "standard_fen"), "%s", r.body);
    th_reply_free(&r);
    ck_assert_int_eq(import_ningbo_2021("6-18-02-04,焊工,level1,180000,是,180001\n"), 1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM catalog"), before);
}
END_TEST

/* The year-wide figure of rows without an occupation (the living allowance): a version may hold
 * it alone, from JSON, from CSV (query) and from subsidyctl; bad values and an empty version
 * are refused with nothing written. */
START_TEST(year_standard_figure)
{
    struct th_reply r = upload("ys-1", "application/json", NULL,
                               "{\"policy\":\"yancheng-2019\",\"year\":2021,\"effective_from\":"
                               "\"2021-01-01\",\"source\":\"盐城生活费标准\","
                               "\"year_standard_fen\":5000,\"entries\":[]}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "year_standard_fen")), 5000);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "entry_count")), 0);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT year_standard_fen FROM catalog WHERE policy_id ="
                                   " 'yancheng-2019' AND year = 2021"),
                     5000);
    /* a version of occupations only says null */
    r = th_http(&d, "GET", "/v1/catalogs?policy=jiaxing-2019&limit=1", approver, NULL, 0, NULL);
    json_t *first = json_array_get(json_object_get(r.json, "items"), 0);
    ck_assert(json_is_null(json_object_get(first, "year_standard_fen")));
    th_reply_free(&r);

    const char *header = "occupation,occupation_name,level,standard_fen\n";
    r = upload("ys-2", "text/csv",
               "?policy=yancheng-2019&year=2022&effective_from=2022-01-01&source=csv"
               "&year_standard_fen=5500",
               header);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "year_standard_fen")), 5500);
    th_reply_free(&r);

    long before = th_count(&pg, "SELECT count(*) FROM catalog");
    /* no entries and no figure; a negative figure */
    const char *bad[][2] = {
        {"ys-3", "entries"},
        {"ys-4", "year_standard_fen"},
    };
    const char *bodies[] = {
        "{\"policy\":\"yancheng-2019\",\"year\":2023,\"effective_from\":\"2023-01-01\","
        "\"source\":\"x\",\"entries\":[]}",
        "{\"policy\":\"yancheng-2019\",\"year\":2023,\"effective_from\":\"2023-01-01\","
        "\"source\":\"x\",\"year_standard_fen\":-1,\"entries\":[]}",
    };
    for (size_t i = 0; i < 2; i++) {
        r = upload(bad[i][0], "application/json", NULL, bodies[i]);
        ck_assert_int_eq(r.status, 422);
        ck_assert_msg(th_problem_has_field(&r, bad[i][1]), "%s", r.body);
        th_reply_free(&r);
    }
    r = upload("ys-5", "text/csv",
               "?policy=yancheng-2019&year=2023&effective_from=2023-01-01&source=csv"
               "&year_standard_fen=many",
               header);
    ck_assert_int_eq(r.status, 422);
    ck_assert(th_problem_has_field(&r, "year_standard_fen"));
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM catalog"), before);

    char path[300];
    snprintf(path, sizeof path, "%s/living.csv", pg.dir);
    FILE *f = fopen(path, "w");
    fputs(header, f);
    fclose(f);
    const char *args[] = {"catalog",
                          "import",
                          "--policy",
                          "ningbo-2019",
                          "--year",
                          "2021",
                          "--effective-from",
                          "2021-01-01",
                          "--source",
                          "宁波最低生活保障标准",
                          "--year-standard-fen",
                          "98500",
                          path,
                          NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, args, NULL), 0);
    ck_assert_int_eq(th_count(&pg, "SELECT year_standard_fen FROM catalog WHERE policy_id ="
                                   " 'ningbo-2019' AND year = 2021"),
                     98500);
    args[11] = "-5";
    ck_assert_int_eq(th_subsidyctl(&pg, args, NULL), 2);
    args[10] = "--source"; /* no figure and no rows: nothing to publish */
    args[11] = "again";
    ck_assert_int_eq(th_subsidyctl(&pg, args, NULL), 1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM catalog WHERE policy_id ="
                                   " 'ningbo-2019' AND year = 2021"),
                     1);
}
END_TEST

START_TEST(reads_check_their_queries)
{
    struct th_reply r = th_http(&d, "GET", "/v1/catalogs?limit=0&year=1999&on=2020-13-01&x=1",
                                approver, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 400);
    const char *fields[] = {"limit", "year", "on", "x"};
    for (size_t i = 0; i < 4; i++)
        ck_assert_msg(th_problem_has_field(&r, fields[i]), "%s not named: %s", fields[i], r.body);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/catalogs/1/entries?after=noslash&limit=100000", approver, NULL, 0,
                NULL);
    ck_assert_int_eq(r.status, 400);
    ck_assert(th_problem_has_field(&r, "after"));
    ck_assert(th_problem_has_field(&r, "limit"));
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/catalogs/abc", approver, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/catalogs", NULL, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 401);
    th_reply_free(&r);
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_token(&pg, "approver", NULL, "330402", approver);
    Suite *s = suite_create("catalogs");
    TCase *tc = tcase_create("admin");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, json_upload_and_reads);
    tcase_add_test(tc, csv_with_bad_rows_writes_nothing);
    tcase_add_test(tc, newer_version_supersedes_from_its_date);
    tcase_add_test(tc, published_is_immutable_and_admin_only);
    tcase_add_test(tc, subsidyctl_imports_csv);
    tcase_add_test(tc, year_standard_figure);
    tcase_add_test(tc, shortage_uplift_split);
    tcase_add_test(tc, reads_check_their_queries);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
