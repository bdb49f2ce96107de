/* API tier: plan targets (issue 4) — loaded from annex CSV files by subsidyctl (audited, a bad
 * file changes nothing), read by any role; and the repository's own annex files load cleanly. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char applicant[64];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static const char *const HEADER = "policy,annex,dimension,unit_name,region_code,year,measure,"
                                  "target,note\n";

START_TEST(load_and_read)
{
    char dir[300], path[400], text[1024];
    snprintf(dir, sizeof dir, "%s/plans", pg.dir);
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/zhoushan-2019.csv", dir);
    snprintf(text, sizeof text,
             "%szhoushan-2019,附件1,district,定海区,330902,2020,person_times,12000,\n"
             "zhoushan-2019,附件1,district,新城管委会,3309A1,2020,person_times,3000,\n"
             "zhoushan-2019,附件2,department,市人力社保局,,2021,person_times,9000,\"含, 逗号\"\n",
             HEADER);
    write_file(path, text);
    const char *load[] = {"plans", "load", dir, NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, load, NULL), 0);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'plan.load'"), 1);

    struct th_reply r =
        th_http(&d, "GET", "/v1/plans?policy=zhoushan-2019", applicant, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    json_t *items = json_object_get(r.json, "items");
    ck_assert_int_eq(json_array_size(items), 3);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/plans?policy=zhoushan-2019&year=2020&dimension=district", applicant,
                NULL, 0, NULL);
    items = json_object_get(r.json, "items");
    ck_assert_int_eq(json_array_size(items), 2);
    json_t *zone = json_array_get(items, 1);
    ck_assert_str_eq(json_string_value(json_object_get(zone, "region_code")), "3309A1");
    ck_assert_int_eq(json_integer_value(json_object_get(zone, "target")), 3000);
    th_reply_free(&r);

    /* a bad file changes nothing: unknown dimension, a department with a region, a number */
    snprintf(text, sizeof text,
             "%szhoushan-2019,附件1,county,定海区,330902,2020,person_times,1,\n"
             "zhoushan-2019,附件2,department,某局,330902,2020,person_times,x,\n",
             HEADER);
    write_file(path, text);
    ck_assert_int_eq(th_subsidyctl(&pg, load, NULL), 1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM plan_target"), 3);

    r = th_http(&d, "GET", "/v1/plans?year=1999&size=1", applicant, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 400);
    ck_assert(th_problem_has_field(&r, "policy"));
    ck_assert(th_problem_has_field(&r, "year"));
    ck_assert(th_problem_has_field(&r, "size"));
    th_reply_free(&r);
}
END_TEST

START_TEST(repository_annexes_load)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/sql/ref/plans", th_source_root());
    const char *load[] = {"plans", "load", dir, NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, load, NULL), 0);
    /* rows as transcribed (sql/ref/plans/README.md); Yancheng's document has no annex */
    const struct {
        const char *policy;
        size_t rows;
    } want[] = {{"zhoushan-2019", 60},
                {"jiaxing-2019", 20},
                {"ningbo-2019", 81},
                {"wenling-2023", 30},
                {"yancheng-2019", 0}};
    for (size_t i = 0; i < 5; i++) {
        char path[96];
        snprintf(path, sizeof path, "/v1/plans?policy=%s", want[i].policy);
        struct th_reply r = th_http(&d, "GET", path, applicant, NULL, 0, NULL);
        ck_assert_int_eq(r.status, 200);
        ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), want[i].rows);
        th_reply_free(&r);
    }
    /* the printed totals: Zhoushan 105000 by district over three years, Ningbo 447000 by
     * department */
    ck_assert_int_eq(th_count(&pg, "SELECT sum(target) FROM plan_target WHERE policy_id = "
                                   "'zhoushan-2019' AND dimension = 'district'"),
                     105000);
    ck_assert_int_eq(th_count(&pg, "SELECT sum(target) FROM plan_target WHERE policy_id = "
                                   "'ningbo-2019' AND dimension = 'department'"),
                     447000);
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_token(&pg, "applicant", "330902198001010011", NULL, applicant);
    Suite *s = suite_create("plans");
    TCase *tc = tcase_create("annexes");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, load_and_read);
    tcase_add_test(tc, repository_annexes_load);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
