/* API tier: roster signals (issue 12 "Signals, not refusals") — a trainee past retirement age on
 * the start date, as each policy reads it (Jiaxing 五(十一) covers those without a pension,
 * Zhoushan says nothing), a student in the graduation year where the policy covers none, the
 * same person on rosters of several institutions in one month and in classes whose dates
 * overlap.  Every signal refuses nothing, names the row and the other class by id only, is shown
 * on both classes to their institutions and approvers, follows roster changes, and the later of
 * racing filings always names the earlier ones (one row per pair of classes). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], approver[64], inst[8][64], code[8][19];
static char old_man[19], woman76[19], woman77[19], young[19], student[19], shared[19];

/* A project class (no catalog needed) of policy, from start to end, with a roster. */
static long long file_project(int who, const char *key, const char *policy, const char *project,
                              const char *start, const char *end, const char *roster)
{
    char body[1400];
    snprintf(body, sizeof body,
             "{\"policy\":\"%s\",\"kind\":\"project\",\"project\":{\"code\":\"%s\","
             "\"name\":\"项目 %s\"},\"region\":\"330902\",\"start_date\":\"%s\","
             "\"end_date\":\"%s\",\"class_hours\":40,\"place\":\"定海区某路 1 号\","
             "\"teachers\":[{\"name\":\"王老师\"}],\"capacity\":30,\"payee\":\"institution\","
             "\"roster\":%s}",
             policy, project, project, start, end, roster);
    return th_class_file(&d, inst[who], key, body);
}

static void one(char *out, size_t len, const char *id, const char *name)
{
    snprintf(out, len, "[{\"id_number\":\"%s\",\"name\":\"%s\"}]", id, name);
}

static struct th_reply get_class(int who, long long id, const char *tail)
{
    char path[96];
    snprintf(path, sizeof path, "/v1/classes/%lld%s", id, tail);
    return th_http(&d, "GET", path, who < 0 ? approver : inst[who], NULL, 0, NULL);
}

/* The signal of kind (naming other, 0: none) in list, or NULL. */
static json_t *find(const json_t *list, const char *kind, long long other)
{
    size_t i;
    json_t *s;
    json_array_foreach(list, i, s)
    {
        const char *k = json_string_value(json_object_get(s, "kind"));
        json_t *o = json_object_get(s, "other_class_id");
        if (k && strcmp(k, kind) == 0 && (other ? json_integer_value(o) == other : json_is_null(o)))
            return s;
    }
    return NULL;
}

START_TEST(retirement_per_policy)
{
    char roster[600];
    snprintf(roster, sizeof roster,
             "[{\"id_number\":\"%s\",\"name\":\"老张\"},{\"id_number\":\"%s\",\"name\":\"李女\"},"
             "{\"id_number\":\"%s\",\"name\":\"王女\"},{\"id_number\":\"%s\",\"name\":\"赵青\"}]",
             old_man, woman76, woman77, young);
    /* Jiaxing covers a person past retirement age only without a monthly pension */
    long long jx =
        file_project(0, "ret-jx", "jiaxing-2019", "JX-RET", "2027-03-01", "2027-03-20", roster);
    ck_assert(jx > 0);
    struct th_reply r = get_class(-1, jx, "");
    ck_assert_int_eq(r.status, 200);
    json_t *sig = json_object_get(r.json, "signals");
    /* the man born 1960 (60) and the woman born 1976-01 (50 and 7 months by the 2025 decision)
     * are past it on 2027-03-01; the woman born 1977-01 (51 and 1 month) is not */
    ck_assert_int_eq(json_array_size(sig), 2);
    json_t *s = json_array_get(sig, 0);
    ck_assert_str_eq(json_string_value(json_object_get(s, "kind")), "past_retirement_age");
    ck_assert_int_eq(json_integer_value(json_object_get(s, "row")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(s, "retirement_age_months")), 720);
    ck_assert_str_eq(json_string_value(json_object_get(s, "coverage")), "covered_without_pension");
    ck_assert_str_eq(json_string_value(json_object_get(s, "section")), "五(十一)");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(s, "person"), "name")),
                     "老*");
    s = json_array_get(sig, 1);
    ck_assert_int_eq(json_integer_value(json_object_get(s, "row")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(s, "retirement_age_months")), 607);
    ck_assert_ptr_null(strstr(r.body, old_man)); /* masked */
    th_reply_free(&r);
    /* Zhoushan says nothing of it: not covered; on the roster the entry carries its signal */
    long long zs =
        file_project(0, "ret-zs", "zhoushan-2019", "ZS-RET", "2027-04-01", "2027-04-20", roster);
    ck_assert(zs > 0);
    r = get_class(0, zs, "/roster");
    ck_assert_int_eq(r.status, 200);
    json_t *first = json_array_get(json_object_get(r.json, "items"), 0);
    s = find(json_object_get(first, "signals"), "past_retirement_age", 0);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(json_string_value(json_object_get(s, "coverage")), "not_covered");
    ck_assert(json_is_null(json_object_get(s, "section")));
    json_t *third = json_array_get(json_object_get(r.json, "items"), 2);
    ck_assert_int_eq(json_array_size(json_object_get(third, "signals")), 0);
    th_reply_free(&r);
    /* a roster change recomputes them: without the man, one signal is left */
    char path[96], put[600];
    snprintf(path, sizeof path, "/v1/classes/%lld/roster", zs);
    snprintf(put, sizeof put,
             "{\"roster\":[{\"id_number\":\"%s\",\"name\":\"李女\"},"
             "{\"id_number\":\"%s\",\"name\":\"赵青\"}]}",
             woman76, young);
    r = th_write(&d, "PUT", path, inst[0], "ret-put", put);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_ptr_nonnull(
        find(json_object_get(json_array_get(json_object_get(r.json, "roster"), 0), "signals"),
             "past_retirement_age", 0));
    th_reply_free(&r);
    r = get_class(0, zs, "");
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "signals")), 1);
    th_reply_free(&r);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM roster_signal WHERE class_id = %lld", zs);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    free(th_sql(&pg, "UPDATE class SET state = 'cancelled'"));
}
END_TEST

START_TEST(students_where_not_covered)
{
    char roster[300];
    one(roster, sizeof roster, student, "钱学");
    /* Zhoushan 二(四) covers students in their graduation year: no signal */
    long long zs =
        file_project(0, "stu-zs", "zhoushan-2019", "ZS-STU", "2027-05-01", "2027-05-10", roster);
    long long nb =
        file_project(1, "stu-nb", "ningbo-2019", "NB-STU", "2027-06-01", "2027-06-10", roster);
    ck_assert(zs > 0 && nb > 0);
    struct th_reply r = get_class(0, zs, "");
    ck_assert_ptr_null(find(json_object_get(r.json, "signals"), "student_not_covered", 0));
    th_reply_free(&r);
    r = get_class(1, nb, "");
    json_t *s = find(json_object_get(r.json, "signals"), "student_not_covered", 0);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(json_string_value(json_object_get(s, "policy")), "ningbo-2019");
    ck_assert_str_eq(json_string_value(json_object_get(s, "input")),
                     "person.groups graduating_student");
    th_reply_free(&r);
    free(th_sql(&pg, "UPDATE class SET state = 'cancelled'"));
}
END_TEST

START_TEST(several_institutions_and_overlaps)
{
    char roster[300];
    one(roster, sizeof roster, shared, "孙同");
    long long a =
        file_project(0, "sev-a", "zhoushan-2019", "SEV-A", "2027-07-01", "2027-07-10", roster);
    ck_assert(a > 0);
    /* another institution, the same month, dates that do not overlap */
    long long b =
        file_project(1, "sev-b", "zhoushan-2019", "SEV-B", "2027-07-20", "2027-07-30", roster);
    ck_assert(b > 0);
    /* the later filing names the earlier class, by id only */
    struct th_reply r = get_class(1, b, "");
    json_t *s = find(json_object_get(r.json, "signals"), "several_institutions", a);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(json_string_value(json_object_get(s, "month")), "2027-07");
    ck_assert_int_eq(json_integer_value(json_object_get(s, "row")), 1);
    ck_assert_ptr_null(find(json_object_get(r.json, "signals"), "overlapping_dates", a));
    ck_assert_ptr_null(strstr(r.body, code[0])); /* nothing of the other institution */
    th_reply_free(&r);
    /* the earlier class shows it too, naming the later one */
    r = get_class(0, a, "");
    ck_assert_ptr_nonnull(find(json_object_get(r.json, "signals"), "several_institutions", b));
    ck_assert_ptr_null(strstr(r.body, code[1]));
    th_reply_free(&r);
    r = get_class(-1, a, "/roster");
    ck_assert_ptr_nonnull(
        find(json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "signals"),
             "several_institutions", b));
    th_reply_free(&r);
    /* the same institution, overlapping dates: overlapping_dates only */
    long long c =
        file_project(0, "sev-c", "zhoushan-2019", "SEV-C", "2027-07-05", "2027-07-25", roster);
    ck_assert(c > 0);
    r = get_class(0, c, "");
    json_t *sig = json_object_get(r.json, "signals");
    s = find(sig, "overlapping_dates", a);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(json_string_value(json_object_get(s, "overlap_from")), "2027-07-05");
    ck_assert_str_eq(json_string_value(json_object_get(s, "overlap_to")), "2027-07-10");
    ck_assert_ptr_null(find(sig, "several_institutions", a));
    ck_assert_ptr_nonnull(find(sig, "overlapping_dates", b));
    ck_assert_ptr_nonnull(find(sig, "several_institutions", b));
    th_reply_free(&r);
    /* another month, another institution: nothing */
    long long e =
        file_project(2, "sev-e", "zhoushan-2019", "SEV-E", "2027-09-01", "2027-09-10", roster);
    ck_assert(e > 0);
    r = get_class(2, e, "");
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "signals")), 0);
    th_reply_free(&r);
    /* a cancelled class no longer counts */
    char path[96];
    snprintf(path, sizeof path, "/v1/classes/%lld/cancel", b);
    r = th_write(&d, "POST", path, inst[1], "sev-cancel", "{\"reason\":\"人数不足\"}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    r = get_class(0, a, "");
    ck_assert_ptr_null(find(json_object_get(r.json, "signals"), "several_institutions", b));
    th_reply_free(&r);
    free(th_sql(&pg, "UPDATE class SET state = 'cancelled'"));
}
END_TEST

/* Eight institutions file a class with the same person at once: every pair of classes gets its
 * signal, once, written by the later filing. */
START_TEST(race_several_institutions)
{
    free(th_sql(&pg, "DELETE FROM roster_signal")); /* the other tests' */
    for (int trial = 0; trial < 5; trial++) {
        struct th_shot shots[8];
        for (int i = 0; i < 8; i++) {
            char roster[300];
            one(roster, sizeof roster, shared, "孙同");
            shots[i] = (struct th_shot){
                .daemon = &d, .method = "POST", .path = "/v1/classes", .token = inst[i]};
            static char keys[8][32];
            snprintf(keys[i], sizeof keys[i], "race-%d-%d", trial, i);
            shots[i].key = keys[i];
            snprintf(shots[i].body, sizeof shots[i].body,
                     "{\"policy\":\"zhoushan-2019\",\"kind\":\"project\",\"project\":"
                     "{\"code\":\"RACE-%d-%d\",\"name\":\"项目\"},\"region\":\"330902\","
                     "\"start_date\":\"2027-10-01\",\"end_date\":\"2027-10-10\","
                     "\"class_hours\":40,\"place\":\"某地\",\"teachers\":[{\"name\":\"王\"}],"
                     "\"capacity\":30,\"payee\":\"institution\",\"roster\":%s}",
                     trial, i, roster);
        }
        th_write_all(shots, 8);
        size_t named = 0;
        for (int i = 0; i < 8; i++) {
            ck_assert_msg(shots[i].reply.status == 201, "%ld %s", shots[i].reply.status,
                          shots[i].reply.body);
            json_t *sig = json_object_get(shots[i].reply.json, "signals");
            size_t j;
            json_t *s;
            json_array_foreach(sig, j, s) named +=
                strcmp(json_string_value(json_object_get(s, "kind")), "several_institutions") == 0;
            th_reply_free(&shots[i].reply);
        }
        /* the filings' own replies name each pair once (the later one names the earlier) */
        ck_assert_int_eq(named, 28);
        ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM roster_signal"
                                       " WHERE kind = 'several_institutions'"),
                         28);
        ck_assert_int_eq(th_count(&pg,
                                  "SELECT count(*) FROM (SELECT least(class_id, other_class_id),"
                                  " greatest(class_id, other_class_id) FROM roster_signal"
                                  " WHERE kind = 'several_institutions' GROUP BY 1, 2) x"),
                         28);
        free(th_sql(&pg, "UPDATE class SET state = 'cancelled'"));
        free(th_sql(&pg, "DELETE FROM roster_signal"));
    }
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_token(&pg, "approver", NULL, "330900", approver);
    bool ok = true;
    for (int i = 0; i < 8; i++) {
        th_credit_code(code[i], "330900", 41 + (unsigned)i);
        th_token(&pg, "institution", code[i], NULL, inst[i]);
        ok = ok && th_institution(&d, admin, code[i], "330902", "normal");
    }
    th_resident_id(old_man, "330902", 1960, 31); /* male */
    th_resident_id(woman76, "330902", 1976, 32); /* female, born 1976-01-01 */
    th_resident_id(woman77, "330902", 1977, 34); /* female, born 1977-01-01 */
    th_resident_id(young, "330902", 1995, 35);
    th_resident_id(student, "330902", 2005, 37);
    th_resident_id(shared, "330902", 1990, 39);
    char student_token[64];
    th_token(&pg, "applicant", student, NULL, student_token);
    char profile[300];
    snprintf(profile, sizeof profile,
             "{\"id_number\":\"%s\",\"name\":\"钱学\",\"hukou_region\":\"330902\","
             "\"groups\":[{\"group\":\"graduating_student\",\"evidence\":\"学生证 2027 届\"}]}",
             student);
    struct th_reply r = th_write(&d, "PUT", "/v1/profile", student_token, "stu-profile", profile);
    ok = ok && r.status == 200;
    if (r.status != 200)
        fprintf(stderr, "profile: %ld %s\n", r.status, r.body);
    th_reply_free(&r);
    if (!ok) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("roster_signals");
    TCase *tc = tcase_create("roster_signals");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, retirement_per_policy);
    tcase_add_test(tc, students_where_not_covered);
    tcase_add_test(tc, several_institutions_and_overlaps);
    tcase_add_test(tc, race_several_institutions);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
