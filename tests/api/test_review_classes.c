/* API tier: GET /v1/review/classes, the approvers' queue of class filings (api/openapi.yaml,
 * listReviewClasses; issue 13 "Queues": "queues of claims and of class filings awaiting a
 * decision in the caller's regions").  Classes of five districts of two cities in every state
 * are put in the database; each approver's queue under every combination of its filters and
 * both sorts must be exactly what an independent SQL query says (the filed and assessed classes
 * of the approver's regions and their districts, in deadline or filing order), page by page,
 * with the counts; a class filed through the API shows what the approver needs; the cursor is
 * stable while classes arrive; every malformed query is a 400 naming its field; other roles
 * are refused. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;

/* approvers: a district of Zhoushan, the city of Zhoushan, two districts of Ningbo */
enum { APPROVERS = 3 };
static const char *const approver_regions[APPROVERS] = {"330902", "330900", "330212,330203"};
static char approver[APPROVERS][64];
static char admin[64], inst_token[64];
static char inst[3][19];

#define TODAY "(now() AT TIME ZONE 'Asia/Shanghai')::date"

/* 150 classes: regions 330902, 330903 (Zhoushan), 330212, 330203 (Ningbo) and 330205 (Ningbo,
 * no approver here); every class state; two kinds, two policies, three institutions; filing
 * days and deadlines spread around today so that the filters cut the set in different places. */
static void make_classes(void)
{
    char sql[2600];
    snprintf(sql, sizeof sql,
             "INSERT INTO class (institution, policy_id, occupation, level, kind, region,"
             "  start_date, end_date, class_hours, place, teachers, capacity, payee, state,"
             "  lead_days, filed_on, filed_at, deadline)"
             " SELECT (ARRAY['%s','%s','%s'])[i %% 3 + 1],"
             "  (ARRAY['zhoushan-2019','ningbo-2023'])[i %% 2 + 1], '6-18-02-04', 'level4',"
             "  (ARRAY['qualification','safety','qualification'])[i %% 3 + 1],"
             "  (ARRAY['330902','330903','330212','330203','330205'])[i %% 5 + 1],"
             "  date '2027-03-01', date '2027-06-30', 120, '某路 1 号', '[]', 30, 'person',"
             "  (ARRAY['filed','accepted','assessed','filed','rejected','running','assessed',"
             "   'closed','completed','cancelled','filed'])[i %% 11 + 1], 0,"
             "  date '2026-10-01' + (i * 17) %% 60,"
             "  timestamptz '2026-10-01 08:00+08' + i * interval '9 hours',"
             "  " TODAY " + (i * 13) %% 30 - 15"
             " FROM generate_series(1, 150) i",
             inst[0], inst[1], inst[2]);
    free(th_sql(&pg, sql));
}

/* What SQL says the queue holds: ids, comma-separated, in the sort's order. */
static char *expected(int a, const char *where, bool by_filing)
{
    char sql[2048];
    snprintf(sql, sizeof sql,
             "SELECT coalesce(string_agg(k.id::text, ',' ORDER BY %s, k.id), '')"
             " FROM class k JOIN region g ON g.code = k.region"
             " WHERE (k.region = ANY (string_to_array('%s', ','))"
             "        OR g.parent = ANY (string_to_array('%s', ',')))"
             "   AND %s",
             by_filing ? "k.filed_at" : "k.deadline", approver_regions[a], approver_regions[a],
             where);
    return th_sql(&pg, sql);
}

static void check_counts(int a, const char *where, json_t *counts, const char *q)
{
    char sql[4096], got[512];
    snprintf(sql, sizeof sql,
             "SELECT coalesce((SELECT string_agg(state || '=' || n, ',' ORDER BY state)"
             "  FROM (SELECT k.state, count(*) AS n FROM class k JOIN region g ON g.code = k.region"
             "  WHERE (k.region = ANY (string_to_array('%s', ','))"
             "   OR g.parent = ANY (string_to_array('%s', ','))) AND %s GROUP BY k.state) s), '')"
             " || ';' || (SELECT count(*) FROM class k JOIN region g ON g.code = k.region"
             "  WHERE (k.region = ANY (string_to_array('%s', ','))"
             "   OR g.parent = ANY (string_to_array('%s', ','))) AND %s"
             "   AND k.deadline < " TODAY ")",
             approver_regions[a], approver_regions[a], where, approver_regions[a],
             approver_regions[a], where);
    char *want = th_sql(&pg, sql);
    th_counts_text(counts, got, sizeof got);
    ck_assert_msg(strcmp(got, want) == 0, "approver %d, ?%s: counts %s, want %s", a, q, got, want);
    free(want);
}

START_TEST(queue_is_exactly_the_regions_waiting_filings_in_order)
{
    make_classes();
    struct filter {
        const char *query, *sql;
    };
    static const struct filter states[] = {
        {"", "'filed','assessed'"},
        {"&state=filed", "'filed'"},
        {"&state=assessed", "'assessed'"},
    };
    char by_inst[64], by_inst_sql[64];
    snprintf(by_inst, sizeof by_inst, "&institution=%s", inst[1]);
    snprintf(by_inst_sql, sizeof by_inst_sql, "k.institution = '%s'", inst[1]);
    const struct filter others[] = {
        {"", "true"},
        {"&kind=safety", "k.kind = 'safety'"},
        {"&policy=ningbo-2023", "k.policy_id = 'ningbo-2023'"},
        {by_inst, by_inst_sql},
        {"&filed_from=2026-10-20&filed_to=2026-11-10",
         "k.filed_on BETWEEN date '2026-10-20' AND date '2026-11-10'"},
        {"&overdue=true", "k.deadline < " TODAY},
        {"&kind=qualification&policy=zhoushan-2019",
         "k.kind = 'qualification' AND k.policy_id = 'zhoushan-2019'"},
    };
    int checked = 0, nonempty = 0;
    for (int a = 0; a < APPROVERS; a++)
        for (size_t s = 0; s < sizeof states / sizeof states[0]; s++)
            for (size_t o = 0; o < sizeof others / sizeof others[0]; o++)
                for (int sort = 0; sort < 2; sort++) {
                    char q[256], where[1024], got[4096], paged[4096];
                    snprintf(q, sizeof q, "%s%s%s", states[s].query, others[o].query,
                             sort ? "&sort=filed" : "");
                    snprintf(where, sizeof where, "k.state IN (%s) AND %s", states[s].sql,
                             others[o].sql);
                    char *want = expected(a, where, sort);
                    json_t *counts = NULL;
                    th_queue_ids(&d, approver[a], "/v1/review/classes", q, 200, got, sizeof got,
                                 &counts);
                    ck_assert_msg(strcmp(got, want) == 0, "approver %d, ?%s:\n got  %s\n want %s",
                                  a, q, got, want);
                    th_queue_ids(&d, approver[a], "/v1/review/classes", q, 4, paged, sizeof paged,
                                 NULL);
                    ck_assert_msg(strcmp(paged, want) == 0, "approver %d, ?%s by 4:\n got  %s", a,
                                  q, paged);
                    if (!sort)
                        check_counts(a, where, counts, q);
                    json_decref(counts);
                    nonempty += want[0] != '\0';
                    free(want);
                    checked++;
                }
    ck_assert_int_eq(checked, APPROVERS * 3 * 7 * 2);
    ck_assert_msg(nonempty > checked * 3 / 4, "only %d of %d queues had items", nonempty, checked);
    /* due_before, on a day the data straddles */
    char *day = th_sql(&pg, "SELECT (" TODAY " + 3)::text");
    char q[64], where[160], got[4096];
    snprintf(q, sizeof q, "&due_before=%s", day);
    snprintf(where, sizeof where, "k.state IN ('filed','assessed') AND k.deadline < date '%s'",
             day);
    char *want = expected(1, where, false);
    th_queue_ids(&d, approver[1], "/v1/review/classes", q, 5, got, sizeof got, NULL);
    ck_assert_str_eq(got, want);
    ck_assert(want[0]);
    free(want);
    free(day);
}
END_TEST

START_TEST(a_filing_shows_what_the_approver_needs)
{
    char id[19], roster[200], body[1400];
    th_resident_id(id, "330902", 1990, 501);
    snprintf(roster, sizeof roster, "[{\"id_number\":\"%s\",\"name\":\"李四\"}]", id);
    th_class_body(body, sizeof body, "6-18-02-04", "2027-03-01", 30, roster);
    long long filed = th_class_file(&d, inst_token, "queue-file-1", body);
    ck_assert(filed);
    struct th_reply r = th_http(&d, "GET", "/v1/review/classes", approver[0], NULL, 0, NULL);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    json_t *items = json_object_get(r.json, "items");
    ck_assert_int_eq(json_array_size(items), 1);
    json_t *item = json_array_get(items, 0);
    ck_assert_int_eq(json_integer_value(json_object_get(item, "id")), filed);
    ck_assert_str_eq(json_string_value(json_object_get(item, "state")), "filed");
    ck_assert_str_eq(json_string_value(json_object_get(item, "next_step")), "accept");
    ck_assert_str_eq(json_string_value(json_object_get(item, "institution")), inst[0]);
    ck_assert_msg(
        strstr(json_string_value(json_object_get(item, "institution_name")), "测试培训学校"), "%s",
        r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(item, "roster_count")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(item, "signal_count")), 0);
    ck_assert(json_is_false(json_object_get(item, "overdue")));
    ck_assert(json_is_string(json_object_get(item, "deadline")));
    ck_assert_msg(!strstr(r.body, id), "the queue shows no ID number: %s", r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_object_get(json_object_get(r.json, "counts"), "by_state"), "filed")),
                     1);
    th_reply_free(&r);
    /* an accepted class leaves the queue; the other city's approver never saw it */
    char path[64];
    snprintf(path, sizeof path, "/v1/classes/%lld/accept", filed);
    r = th_write(&d, "POST", path, approver[0], "queue-accept-1", "{}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    char got[256];
    th_queue_ids(&d, approver[0], "/v1/review/classes", "", 50, got, sizeof got, NULL);
    ck_assert_str_eq(got, "");
    th_queue_ids(&d, approver[2], "/v1/review/classes", "&state=filed", 50, got, sizeof got, NULL);
    ck_assert_str_eq(got, "");
}
END_TEST

START_TEST(cursor_is_stable_under_inserts)
{
    make_classes();
    char *want = expected(1, "k.state IN ('filed','assessed')", false);
    struct th_reply r =
        th_http(&d, "GET", "/v1/review/classes?limit=5", approver[1], NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    char after[64];
    snprintf(after, sizeof after, "%s", json_string_value(json_object_get(r.json, "next_after")));
    th_reply_free(&r);
    /* filings arriving with an earlier deadline than the cursor's stay off the later pages */
    char sql[900];
    snprintf(sql, sizeof sql,
             "INSERT INTO class (institution, policy_id, occupation, level, kind, region,"
             "  start_date, end_date, class_hours, place, teachers, capacity, payee, state,"
             "  lead_days, filed_on, deadline)"
             " SELECT '%s', 'zhoushan-2019', '6-18-02-04', 'level4', 'qualification', '330902',"
             "  date '2027-03-01', date '2027-06-30', 120, 'x', '[]', 30, 'person', 'filed', 0,"
             "  " TODAY ", " TODAY " - 100 FROM generate_series(1, 3)",
             inst[0]);
    free(th_sql(&pg, sql));
    char rest[4096], query[96];
    snprintf(query, sizeof query, "&after=%s", after);
    /* one page holds the rest (th_queue_ids would add a second after= to a next one) */
    th_queue_ids(&d, approver[1], "/v1/review/classes", query, 200, rest, sizeof rest, NULL);
    /* the first five ids of want, then rest, is want */
    const char *p = want;
    for (int i = 0; i < 5; i++)
        p = strchr(p, ',') + 1;
    ck_assert_str_eq(rest, p);
    free(want);
}
END_TEST

START_TEST(bad_queries_name_their_field)
{
    static const struct th_bad_query bad[] = {
        {"state=accepted", "state"},
        {"state=bogus", "state"},
        {"kind=welding", "kind"},
        {"policy=Bad_Policy", "policy"},
        {"institution=123", "institution"},
        {"filed_from=2026-13-01", "filed_from"},
        {"filed_from=2026-11-10&filed_to=2026-11-01", "filed_to"},
        {"due_before=tomorrow", "due_before"},
        {"overdue=yes", "overdue"},
        {"sort=amount", "sort"},
        {"after=2026-11-01", "after"},
        {"after=1234_5", "after"},
        {"sort=filed&after=2026-11-01_5", "after"},
        {"limit=0", "limit"},
        {"limit=201", "limit"},
        {"colour=red", "colour"},
    };
    th_bad_queries(&d, approver[0], "/v1/review/classes", bad, sizeof bad / sizeof bad[0]);
}
END_TEST

START_TEST(only_approvers_have_a_queue)
{
    char applicant[64], id[19];
    th_resident_id(id, "330902", 1990, 77);
    th_token(&pg, "applicant", id, NULL, applicant);
    const char *const others[] = {applicant, inst_token, admin};
    th_refused_to(&d, "/v1/review/classes", others, 3);
}
END_TEST

static void setup(void)
{
    free(th_sql(&pg, "TRUNCATE class CASCADE"));
}

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    for (int a = 0; a < APPROVERS; a++)
        th_token(&pg, "approver", NULL, approver_regions[a], approver[a]);
    for (int i = 0; i < 3; i++)
        th_credit_code(inst[i], i < 2 ? "330900" : "330200", 61 + (unsigned)i);
    th_token(&pg, "institution", inst[0], NULL, inst_token);
    if (!th_institution(&d, admin, inst[0], "330902", "normal") ||
        !th_institution(&d, admin, inst[1], "330903", "normal") ||
        !th_institution(&d, admin, inst[2], "330212", "normal") ||
        !th_class_catalog(&d, admin, "zhoushan-2019", 2027, "6-18-02-04", "level4")) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("review_classes");
    TCase *tc = tcase_create("queue");
    tcase_set_timeout(tc, 240);
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, queue_is_exactly_the_regions_waiting_filings_in_order);
    tcase_add_test(tc, a_filing_shows_what_the_approver_needs);
    tcase_add_test(tc, cursor_is_stable_under_inserts);
    tcase_add_test(tc, bad_queries_name_their_field);
    tcase_add_test(tc, only_approvers_have_a_queue);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return th_finish(&pg, &d) | failed;
}
