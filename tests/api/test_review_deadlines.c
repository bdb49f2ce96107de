/* API tier: deadlines (承诺时限, issue 13 "Deadlines").  The working days a review has, set with
 * subsidyctl review-days per policy, city and district, for claims and class filings: each new
 * item's due date is counted on the working-day calendar (holidays in the coming days) with the
 * most specific setting, audited; /metrics' overdue items by region and kind and the oldest's
 * age, cached for the configured seconds; the approver's daily summary in JSON and CSV (BOM);
 * escalation to the region's named supervisor after more than 3 working days overdue (holidays
 * in the days before: calendar days do not count), once, audited.  Every malformed command and
 * query is refused and writes nothing; other roles get 403. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d; /* --overdue-metrics-cache 0 */
static char admin[64], worker[64], worker_id[19], approver[64], inst[64], city_approver[64],
    far_approver[64], supervisor[64];
static long long supervisor_account;
static int keys;

#define TODAY "(now() AT TIME ZONE 'Asia/Shanghai')::date"

static bool publish(void)
{
    struct th_reply r =
        th_write(&d, "POST", "/v1/admin/catalogs", admin, "cat-1",
                 "{\"policy\":\"zhoushan-2019\",\"year\":2020,\"effective_from\":\"2020-06-01\","
                 "\"source\":\"舟山市2020年目录\",\"entries\":[{\"occupation\":\"6-18-02-09\","
                 "\"occupation_name\":\"电工\",\"level\":\"level3\",\"standard_fen\":140000,"
                 "\"shortage\":true}]}");
    bool ok = r.status == 201;
    if (!ok)
        fprintf(stderr, "publish: %ld %s\n", r.status, r.body);
    th_reply_free(&r);
    return ok;
}

/* The calendars of last year, this year and the next, with the three weekdays after today and
 * the two before it holidays. */
static bool holidays_around(void)
{
    return th_calendar_years(
        &d, &pg, admin,
        "SELECT json_build_object('source', '测试', 'days', coalesce((SELECT json_agg("
        "  json_build_object('day', d::text, 'kind', 'holiday', 'name', '测试假日'))"
        "  FROM ((SELECT d::date FROM generate_series(" TODAY " + 1, " TODAY " + 9,"
        "   interval '1 day') d WHERE extract(isodow FROM d) < 6 ORDER BY d LIMIT 3)"
        "  UNION ALL (SELECT d::date FROM generate_series(" TODAY " - 9, " TODAY " - 1,"
        "   interval '1 day') d WHERE extract(isodow FROM d) < 6 ORDER BY d DESC LIMIT 2)) x"
        "  WHERE extract(year FROM d) = extract(year FROM " TODAY ") + %d), '[]'))::text"
        " || '|' || (extract(year FROM " TODAY ") + %d)",
        -1, 1, "cal");
}

/* The n-th working day after today on the calendar in the database, as SQL counts it. */
static char *due_after(int n)
{
    char sql[1024];
    snprintf(
        sql, sizeof sql,
        "SELECT d::date::text FROM generate_series(" TODAY " + 1, " TODAY " + 400,"
        " interval '1 day') d"
        " WHERE NOT EXISTS (SELECT 1 FROM calendar_day c WHERE c.day = d AND c.kind = 'holiday')"
        "   AND (extract(isodow FROM d) < 6"
        "        OR EXISTS (SELECT 1 FROM calendar_day c WHERE c.day = d AND c.kind = 'workday'))"
        " ORDER BY d OFFSET %d LIMIT 1",
        n - 1);
    return th_sql(&pg, sql);
}

static void new_worker(void)
{
    static unsigned serial = 41;
    th_resident_id(worker_id, "330902", 1990, serial++);
    th_token(&pg, "applicant", worker_id, NULL, worker);
    ck_assert(th_profile(&d, worker, worker_id, "330902"));
}

/* A submitted claim of a new worker in region: its review_due (malloc'd), *id its id. */
static char *submit(const char *region, long long *id)
{
    new_worker();
    char body[768], key[32];
    snprintf(body, sizeof body,
             "{\"region\":\"%s\",\"submit\":true,\"claim\":{\"kind\":"
             "\"certificate_training\",\"occupation\":\"6-18-02-09\",\"level\":\"level3\","
             "\"certificate\":{\"kind\":\"qualification\",\"number\":\"D-%d\",\"issue_date\":"
             "\"2020-06-30\"},\"actual_cost_fen\":200000}}",
             region, keys);
    snprintf(key, sizeof key, "claim-%d", keys++);
    struct th_reply r = th_write(&d, "POST", "/v1/claims", worker, key, body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    if (id)
        *id = json_integer_value(json_object_get(r.json, "id"));
    char *due = strdup(json_string_value(json_object_get(r.json, "review_due")));
    th_reply_free(&r);
    return due;
}

static int review_days(const char *kind, const char *region, const char *days)
{
    const char *args[12] = {"review-days", "set", "--policy", "zhoushan-2019", "--days", days};
    int n = 6;
    if (kind) {
        args[n++] = "--kind";
        args[n++] = kind;
    }
    if (region) {
        args[n++] = "--region";
        args[n++] = region;
    }
    args[n] = NULL;
    return th_subsidyctl(&pg, args, NULL);
}

static void expect_due(const char *got, int working_days)
{
    char *want = due_after(working_days);
    ck_assert_msg(strcmp(got, want) == 0, "due %s, want %s (%d working days)", got, want,
                  working_days);
    free(want);
}

/* A class filed in Dinghai by the institution, with one new trainee: its id. */
static long long file_class(void)
{
    static unsigned serial = 7;
    char id[19], roster[120], body[1200], key[32];
    th_resident_id(id, "330902", 1991, serial);
    snprintf(key, sizeof key, "class-%u", serial++);
    snprintf(roster, sizeof roster, "[{\"id_number\":\"%s\",\"name\":\"李四\"}]", id);
    th_class_body(body, sizeof body, "6-18-02-04", "2027-03-01", 30, roster);
    return th_class_file(&d, inst, key, body);
}

/* ---- part 1: review days per policy and region ---- */

START_TEST(the_most_specific_setting_counts_on_the_calendar)
{
    char *due = submit("330902", NULL); /* no setting: the daemon's --review-days (20) */
    expect_due(due, 20);
    free(due);
    ck_assert_int_eq(review_days(NULL, NULL, "7"), 0);
    due = submit("330902", NULL);
    expect_due(due, 7);
    free(due);
    ck_assert_int_eq(review_days(NULL, "330900", "5"), 0); /* the city's covers its districts */
    due = submit("330902", NULL);
    expect_due(due, 5);
    free(due);
    ck_assert_int_eq(review_days(NULL, "330902", "2"), 0);
    due = submit("330902", NULL);
    expect_due(due, 2);
    free(due);
    due = submit("330903", NULL); /* another district of the city */
    expect_due(due, 5);
    free(due);
    ck_assert_int_eq(review_days(NULL, "330902", "3"), 0); /* a change, audited with before */
    due = submit("330902", NULL);
    expect_due(due, 3);
    free(due);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM review_days WHERE kind = 'claim'"), 3);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'review_days.set'"
                                   " AND object_kind = 'review_days'"),
                     4);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'review_days.set'"
                                   " AND object_id = 'claim/zhoushan-2019/330902'"
                                   " AND before ->> 'days' = '2' AND after ->> 'days' = '3'"),
                     1);
}
END_TEST

START_TEST(overdue_across_a_holiday)
{
    /* one working day, the three weekdays after today holidays: due after them, so the claim
     * is not overdue over the holiday */
    ck_assert_int_eq(review_days(NULL, "330903", "1"), 0);
    long long id;
    char *due = submit("330903", &id);
    expect_due(due, 1);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM calendar_day WHERE kind = 'holiday' AND day > " TODAY
             " AND day < '%s'",
             due);
    ck_assert_int_eq(th_count(&pg, sql), 3);
    struct th_reply r =
        th_http(&d, "GET", "/v1/review/claims?overdue=true", approver, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    json_t *item;
    size_t i;
    json_array_foreach(json_object_get(r.json, "items"), i, item)
        ck_assert_int_ne(json_integer_value(json_object_get(item, "id")), id);
    th_reply_free(&r);
    free(due);
}
END_TEST

START_TEST(a_class_filing_has_its_own_setting)
{
    ck_assert_int_eq(review_days("class_filing", "330902", "4"), 0);
    long long cid = file_class();
    ck_assert_int_gt(cid, 0);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT deadline::text FROM class WHERE id = %lld", cid);
    char *got = th_sql(&pg, sql);
    expect_due(got, 4);
    free(got);
}
END_TEST

START_TEST(malformed_settings_are_refused)
{
    const char *const bad[][12] = {
        {"review-days", "set", "--policy", "zhoushan-2019", NULL},
        {"review-days", "set", "--days", "3", NULL},
        {"review-days", "set", "--policy", "zhoushan-2019", "--days", "0", NULL},
        {"review-days", "set", "--policy", "zhoushan-2019", "--days", "251", NULL},
        {"review-days", "set", "--policy", "zhoushan-2019", "--days", "3x", NULL},
        {"review-days", "set", "--policy", "Zhoushan", "--days", "3", NULL},
        {"review-days", "set", "--policy", "zhoushan-2019", "--days", "3", "--kind", "appeal",
         NULL},
        {"review-days", "set", "--policy", "zhoushan-2019", "--days", "3", "--region", "33", NULL},
        {"review-days", "set", "--policy", "zhoushan-2019", "--days", "3", "extra", NULL},
    };
    long before = th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'review_days.set'");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_int_eq(th_subsidyctl(&pg, bad[i], NULL), 2);
    /* an unknown region: the database refuses, nothing written */
    const char *unknown[] = {"review-days", "set",    "--policy", "zhoushan-2019", "--days", "3",
                             "--region",    "339999", NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, unknown, NULL), 1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'review_days.set'"),
                     before);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM review_days WHERE region = '339999'"), 0);
}
END_TEST

/* ---- part 2: /metrics ---- */

/* The value of /metrics' line NAME{region="REGION",kind="KIND"} on daemon on; -1 when absent. */
static long metric(struct th_daemon *on, const char *name, const char *region, const char *kind)
{
    struct th_reply r = th_http(on, "GET", "/metrics", NULL, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    char needle[160];
    snprintf(needle, sizeof needle, "\n%s{region=\"%s\",kind=\"%s\"} ", name, region, kind);
    const char *at = strstr(r.body, needle);
    long v = at ? atol(at + strlen(needle)) : -1;
    th_reply_free(&r);
    return v;
}

static void make_overdue(const char *table, const char *column, long long id, int days_ago)
{
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE %s SET %s = " TODAY " - %d WHERE id = %lld", table, column,
             days_ago, id);
    free(th_sql(&pg, sql));
}

START_TEST(overdue_items_are_counted_in_metrics)
{
    ck_assert_int_eq(metric(&d, "subsidyd_overdue_items", "330921", "claim"), -1);
    long long a, b, c;
    free(submit("330921", &a));
    free(submit("330921", &b));
    free(submit("330921", &c));
    make_overdue("claim", "review_due", a, 3);
    make_overdue("claim", "review_due", b, 9);
    make_overdue("claim", "review_due", c, 0); /* due today: not overdue yet */
    ck_assert_int_eq(metric(&d, "subsidyd_overdue_items", "330921", "claim"), 2);
    ck_assert_int_eq(metric(&d, "subsidyd_overdue_oldest_days", "330921", "claim"), 9);
    /* a decided claim is no longer waiting */
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE claim SET state = 'approved' WHERE id = %lld", b);
    free(th_sql(&pg, sql));
    ck_assert_int_eq(metric(&d, "subsidyd_overdue_items", "330921", "claim"), 1);
    ck_assert_int_eq(metric(&d, "subsidyd_overdue_oldest_days", "330921", "claim"), 3);
    /* a class filing not accepted by its deadline */
    long long k = file_class();
    ck_assert_int_gt(k, 0);
    make_overdue("class", "deadline", k, 2);
    ck_assert_int_eq(metric(&d, "subsidyd_overdue_items", "330902", "class_filing"), 1);
    ck_assert_int_eq(metric(&d, "subsidyd_overdue_oldest_days", "330902", "class_filing"), 2);
}
END_TEST

START_TEST(the_figures_are_cached_for_the_configured_seconds)
{
    struct th_daemon cached;
    const char *args[] = {"--overdue-metrics-cache", "3600", NULL};
    th_daemon_start(&cached, &pg, args);
    long before = metric(&cached, "subsidyd_overdue_items", "330922", "claim");
    ck_assert_int_eq(before, -1);
    long long a;
    free(submit("330922", &a));
    make_overdue("claim", "review_due", a, 1);
    ck_assert_int_eq(metric(&cached, "subsidyd_overdue_items", "330922", "claim"), -1);
    ck_assert_int_eq(metric(&d, "subsidyd_overdue_items", "330922", "claim"), 1);
    ck_assert_int_eq(th_daemon_stop(&cached, SIGTERM), 0);
    /* the partial index serves the figures' range on the waiting claims */
    char *plan =
        th_sql(&pg, "SELECT indexdef FROM pg_indexes WHERE indexname = 'claim_waiting_due'");
    ck_assert_ptr_nonnull(strstr(plan, "review_due"));
    ck_assert_ptr_nonnull(strstr(plan, "WHERE"));
    free(plan);
}
END_TEST

/* ---- part 3: the daily summary ---- */

/* What SQL says of region and kind's waiting items: "waiting,overdue,due_today,due_soon". */
static char *summary_sql(const char *region, const char *kind, const char *until)
{
    char sql[1536];
    snprintf(sql, sizeof sql,
             "SELECT count(*) || ',' || count(*) FILTER (WHERE due < " TODAY ") || ','"
             " || count(*) FILTER (WHERE due = " TODAY ") || ','"
             " || count(*) FILTER (WHERE due > " TODAY " AND due <= '%s')"
             " FROM (SELECT review_due AS due FROM claim WHERE region = '%s' AND '%s' = 'claim'"
             "  AND state IN ('submitted', 'resubmitted', 'in_review')"
             " UNION ALL SELECT deadline FROM class WHERE region = '%s' AND '%s' = 'class_filing'"
             "  AND state = 'filed') x",
             until, region, kind, region, kind);
    return th_sql(&pg, sql);
}

START_TEST(the_daily_summary_counts_each_region_and_kind)
{
    long long a;
    free(submit("330921", &a));
    make_overdue("claim", "review_due", a, -1); /* due on the next day: within the next days */
    struct th_reply r =
        th_http(&d, "GET", "/v1/review/summary?days=5", city_approver, NULL, 0, NULL);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "working_days")), 5);
    const char *until = json_string_value(json_object_get(r.json, "due_soon_until"));
    char *want_until = due_after(5);
    ck_assert_str_eq(until, want_until);
    free(want_until);
    size_t i, n = 0;
    json_t *item;
    bool saw_class = false, saw_daishan = false;
    json_array_foreach(json_object_get(r.json, "items"), i, item)
    {
        const char *region = json_string_value(json_object_get(item, "region"));
        const char *kind = json_string_value(json_object_get(item, "kind"));
        ck_assert_msg(strncmp(region, "3309", 4) == 0, "%s outside the city", region);
        char got[96];
        snprintf(got, sizeof got, "%lld,%lld,%lld,%lld",
                 (long long)json_integer_value(json_object_get(item, "waiting")),
                 (long long)json_integer_value(json_object_get(item, "overdue")),
                 (long long)json_integer_value(json_object_get(item, "due_today")),
                 (long long)json_integer_value(json_object_get(item, "due_soon")));
        char *want = summary_sql(region, kind, until);
        ck_assert_msg(strcmp(got, want) == 0, "%s %s: %s, want %s", region, kind, got, want);
        free(want);
        saw_class |= strcmp(kind, "class_filing") == 0;
        if (strcmp(region, "330921") == 0 && strcmp(kind, "claim") == 0) {
            saw_daishan = true;
            ck_assert_int_ge(json_integer_value(json_object_get(item, "due_soon")), 1);
            ck_assert_int_eq(json_integer_value(json_object_get(item, "oldest_overdue_days")), 3);
        }
        n++;
    }
    ck_assert(saw_class && saw_daishan);
    th_reply_free(&r);
    /* a district's approver sees its district only */
    r = th_http(&d, "GET", "/v1/review/summary", approver, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "working_days")), 3);
    json_array_foreach(json_object_get(r.json, "items"), i, item)
        ck_assert_str_eq(json_string_value(json_object_get(item, "region")), "330903");
    ck_assert_int_lt(json_array_size(json_object_get(r.json, "items")), n);
    th_reply_free(&r);
    /* another city's approver sees none of these */
    r = th_http(&d, "GET", "/v1/review/summary", far_approver, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 0);
    th_reply_free(&r);
}
END_TEST

START_TEST(the_daily_summary_as_csv_for_excel)
{
    const char *h[] = {"Accept: text/csv", NULL};
    struct th_reply r = th_http(&d, "GET", "/v1/review/summary", city_approver, NULL, 0, h);
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_nonnull(strstr(th_header(&r, "content-type"), "text/csv"));
    ck_assert_int_eq(memcmp(r.body, "\xEF\xBB\xBF", 3), 0);
    ck_assert_int_eq(
        strncmp(r.body + 3,
                "region,kind,waiting,overdue,due_today,due_soon,oldest_overdue_days\r\n", 67),
        0);
    ck_assert_ptr_nonnull(strstr(r.body, "\r\n330921,claim,"));
    th_reply_free(&r);
}
END_TEST

START_TEST(the_daily_summary_refuses)
{
    const char *const bad[] = {"days=0", "days=21", "days=x", "days=", "region=330902"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[96];
        snprintf(path, sizeof path, "/v1/review/summary?%s", bad[i]);
        struct th_reply r = th_http(&d, "GET", path, city_approver, NULL, 0, NULL);
        ck_assert_msg(r.status == 400, "%s: %ld %s", bad[i], r.status, r.body);
        th_reply_free(&r);
    }
    const char *const others[] = {admin, worker, inst};
    for (size_t i = 0; i < 3; i++) {
        struct th_reply r = th_http(&d, "GET", "/v1/review/summary", others[i], NULL, 0, NULL);
        ck_assert_int_eq(r.status, 403);
        th_reply_free(&r);
    }
    struct th_reply r = th_http(&d, "GET", "/v1/review/summary", NULL, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 401);
    th_reply_free(&r);
}
END_TEST

/* ---- part 4: escalation to the region's supervisor ---- */

/* The due date overdue by exactly n working days (working days after it up to today), the
 * latest (latest true) or the earliest such date. */
static char *overdue_by(int n, bool latest)
{
    char sql[1024];
    snprintf(
        sql, sizeof sql,
        "SELECT d::text FROM (SELECT g::date AS d FROM generate_series(" TODAY " - 60, " TODAY
        " - 1, interval '1 day') g) s WHERE (SELECT count(*) FROM (SELECT h::date AS x FROM"
        "  generate_series(s.d + 1, " TODAY ", interval '1 day') h) t"
        "  WHERE NOT EXISTS (SELECT 1 FROM calendar_day c WHERE c.day = x AND c.kind = 'holiday')"
        "  AND (extract(isodow FROM x) < 6 OR EXISTS (SELECT 1 FROM calendar_day c"
        "  WHERE c.day = x AND c.kind = 'workday'))) = %d ORDER BY d %s LIMIT 1",
        n, latest ? "DESC" : "ASC");
    return th_sql(&pg, sql);
}

static void due_on(const char *table, const char *column, long long id, const char *day)
{
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE %s SET %s = '%s' WHERE id = %lld", table, column, day, id);
    free(th_sql(&pg, sql));
}

static bool listed(const json_t *reply, const char *kind, long long id)
{
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(reply, "items"), i,
                       item) if (json_integer_value(json_object_get(item, "id")) == id &&
                                 strcmp(json_string_value(json_object_get(item, "kind")), kind) ==
                                     0) return true;
    return false;
}

static int supervise(const char *region, const char *account)
{
    const char *args[] = {"region-supervisor", "set",   "--region", region,
                          "--account",         account, NULL};
    return th_subsidyctl(&pg, args, NULL);
}

START_TEST(the_region_supervisor_is_named_by_subsidyctl)
{
    char *other = th_sql(&pg, "INSERT INTO account (name, role, regions)"
                              " VALUES ('宁波审核员', 'approver', '{330200}') RETURNING id");
    char *admin_acc = th_sql(&pg, "INSERT INTO account (name, role) VALUES ('管理员', 'admin')"
                                  " RETURNING id");
    char mine[24];
    snprintf(mine, sizeof mine, "%lld", supervisor_account);
    ck_assert_int_eq(supervise("330900", other), 1);     /* not an approver of Zhoushan */
    ck_assert_int_eq(supervise("330900", admin_acc), 1); /* not an approver */
    ck_assert_int_eq(supervise("339999", mine), 1);      /* no such region */
    ck_assert_int_eq(supervise("33", mine), 2);
    ck_assert_int_eq(supervise("330900", "x"), 2);
    ck_assert_int_eq(supervise("330900", "0"), 2);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM region_supervisor"), 0);
    ck_assert_int_eq(supervise("330900", mine), 0);
    ck_assert_int_eq(supervise("330900", mine), 0); /* again: the same row */
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM region_supervisor"), 1);
    ck_assert_int_eq(th_count(&pg,
                              "SELECT count(*) FROM audit"
                              " WHERE action = 'region_supervisor.set' AND object_id = '330900'"),
                     2);
    free(other);
    free(admin_acc);
}
END_TEST

START_TEST(overdue_items_are_escalated_once_across_holidays)
{
    char *late = overdue_by(4, true);    /* more than 3 working days: escalated */
    char *spared = overdue_by(3, false); /* 3 working days, more calendar days: not yet */
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT " TODAY " - '%s'::date", spared);
    ck_assert_int_gt(th_count(&pg, sql), 4); /* the holidays make the difference */
    long long x, y, z;
    free(submit("330922", &x));
    free(submit("330922", &y));
    free(submit("330922", &z));
    due_on("claim", "review_due", x, late);
    due_on("claim", "review_due", y, spared);
    due_on("claim", "review_due", z, late);
    snprintf(sql, sizeof sql, "UPDATE claim SET state = 'rejected' WHERE id = %lld", z);
    free(th_sql(&pg, sql)); /* decided: nothing to escalate */
    long long k = file_class();
    ck_assert_int_gt(k, 0);
    due_on("class", "deadline", k, late);

    /* an approver who supervises nothing sees nothing, and escalates nothing */
    struct th_reply r = th_http(&d, "GET", "/v1/review/escalations", city_approver, NULL, 0, NULL);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 0);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "regions")), 0);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM review_escalation"), 0);

    r = th_http(&d, "GET", "/v1/review/escalations", supervisor, NULL, 0, NULL);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert(listed(r.json, "claim", x));
    ck_assert(listed(r.json, "class_filing", k));
    ck_assert(!listed(r.json, "claim", y));
    ck_assert(!listed(r.json, "claim", z));
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(r.json, "regions"), 0)),
                     "330900");
    long now = (long)json_integer_value(json_object_get(r.json, "escalated_now"));
    ck_assert_int_eq(now, (long)json_array_size(json_object_get(r.json, "items")));
    th_reply_free(&r);
    /* once: the second look escalates nothing new */
    r = th_http(&d, "GET", "/v1/review/escalations", supervisor, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "escalated_now")), 0);
    ck_assert(listed(r.json, "claim", x));
    th_reply_free(&r);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM review_escalation e JOIN audit a ON a.object_kind = 'claim'"
             " AND a.object_id = '%lld' AND a.action = 'review.escalate' WHERE e.kind = 'claim'"
             " AND e.object_id = %lld AND e.supervisor = %lld",
             x, x, supervisor_account);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'review.escalate'"),
                     now);
    /* decided, it leaves the list; the record stays */
    snprintf(sql, sizeof sql, "UPDATE claim SET state = 'approved' WHERE id = %lld", x);
    free(th_sql(&pg, sql));
    r = th_http(&d, "GET", "/v1/review/escalations", supervisor, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert(!listed(r.json, "claim", x));
    ck_assert(listed(r.json, "class_filing", k));
    th_reply_free(&r);
    /* other roles */
    const char *const others[] = {admin, worker, inst};
    for (size_t i = 0; i < 3; i++) {
        r = th_http(&d, "GET", "/v1/review/escalations", others[i], NULL, 0, NULL);
        ck_assert_int_eq(r.status, 403);
        th_reply_free(&r);
    }
    r = th_http(&d, "GET", "/v1/review/escalations?days=3", supervisor, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 400);
    th_reply_free(&r);
    free(late);
    free(spared);
}
END_TEST

/* subsidyctl review escalate: the same pass for every supervisor, from a daily timer, with no
 * supervisor reading the list; once per item, audited by the CLI (no actor). */
START_TEST(a_daily_timer_escalates_with_subsidyctl)
{
    char *late = overdue_by(4, true);
    long long x;
    free(submit("330922", &x));
    due_on("claim", "review_due", x, late);
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM review_escalation e JOIN audit a ON a.object_kind = 'claim'"
             " AND a.object_id = '%lld' AND a.action = 'review.escalate' AND a.actor IS NULL"
             " AND a.request_id = 'subsidyctl' WHERE e.kind = 'claim' AND e.object_id = %lld"
             " AND e.supervisor = %lld",
             x, x, supervisor_account);
    /* refused arguments escalate nothing */
    const char *const bad[][6] = {{"review", "escalate", "--after-days", "0", NULL},
                                  {"review", "escalate", "--after-days", "61", NULL},
                                  {"review", "escalate", "--after-days", "3x", NULL},
                                  {"review", "escalate", "--today", "2026-02-30", NULL},
                                  {"review", "escalate", "extra", NULL}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_int_eq(th_subsidyctl(&pg, bad[i], NULL), 2);
    ck_assert_int_eq(th_count(&pg, sql), 0);
    /* a day long past: nothing was overdue yet */
    const char *past[] = {"review", "escalate", "--today", "2020-01-06", NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, past, NULL), 0);
    ck_assert_int_eq(th_count(&pg, sql), 0);

    char out[] = "/tmp/sd-escalate-XXXXXX";
    int fd = mkstemp(out);
    ck_assert_int_ge(fd, 0);
    close(fd);
    const char *now[] = {"review", "escalate", NULL};
    /* without --after-days, the daemon's setting from the environment file the timer shares:
     * 4 working days spare this claim (4 overdue), a value out of range escalates nothing */
    setenv("SUBSIDYD_ESCALATE_AFTER_DAYS", "4", 1);
    ck_assert_int_eq(th_subsidyctl(&pg, now, out), 0);
    ck_assert_int_eq(th_count(&pg, sql), 0);
    setenv("SUBSIDYD_ESCALATE_AFTER_DAYS", "0", 1);
    ck_assert_int_eq(th_subsidyctl(&pg, now, out), 2);
    unsetenv("SUBSIDYD_ESCALATE_AFTER_DAYS");
    ck_assert_int_eq(th_subsidyctl(&pg, now, out), 0);
    json_t *reply = json_load_file(out, 0, NULL);
    ck_assert_ptr_nonnull(reply);
    /* this claim and whatever else of the earlier tests waits overdue, each audited once */
    long now_count = (long)json_integer_value(json_object_get(reply, "escalated_now"));
    ck_assert_int_ge(now_count, 1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'review.escalate'"
                                   " AND request_id = 'subsidyctl'"),
                     now_count);
    ck_assert_ptr_nonnull(json_string_value(json_object_get(reply, "due_by")));
    json_decref(reply);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    /* again: nothing new, nothing audited twice */
    ck_assert_int_eq(th_subsidyctl(&pg, now, out), 0);
    reply = json_load_file(out, 0, NULL);
    ck_assert_ptr_nonnull(reply);
    ck_assert_int_eq(json_integer_value(json_object_get(reply, "escalated_now")), 0);
    json_decref(reply);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    unlink(out);
    /* the supervisor's list shows it */
    struct th_reply r = th_http(&d, "GET", "/v1/review/escalations", supervisor, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert(listed(r.json, "claim", x));
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "escalated_now")), 0);
    th_reply_free(&r);
    free(late);
}
END_TEST

int main(void)
{
    const char *args[] = {"--overdue-metrics-cache", "0", NULL};
    th_start(&pg, &d, args);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_token(&pg, "approver", NULL, "330903", approver);
    th_token(&pg, "approver", NULL, "330900", city_approver);
    th_token(&pg, "approver", NULL, "330200", far_approver);
    char *acc = th_sql(&pg, "INSERT INTO account (name, role, regions)"
                            " VALUES ('舟山市督办', 'approver', '{330900}') RETURNING id");
    supervisor_account = atoll(acc);
    free(acc);
    th_token(&pg, "approver", NULL, "330900", supervisor);
    char link[160];
    snprintf(link, sizeof link,
             "UPDATE token SET account_id = %lld WHERE id = (SELECT max(id) FROM token)",
             supervisor_account);
    free(th_sql(&pg, link));
    char inst_code[19];
    th_credit_code(inst_code, "330900", 61);
    th_token(&pg, "institution", inst_code, NULL, inst);
    if (!publish() || !holidays_around() ||
        !th_institution(&d, admin, inst_code, "330902", "normal") ||
        !th_class_catalog(&d, admin, "zhoushan-2019", 2027, "6-18-02-04", "level4")) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("review_deadlines");
    TCase *tc = tcase_create("deadlines");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, the_most_specific_setting_counts_on_the_calendar);
    tcase_add_test(tc, overdue_across_a_holiday);
    tcase_add_test(tc, a_class_filing_has_its_own_setting);
    tcase_add_test(tc, malformed_settings_are_refused);
    tcase_add_test(tc, overdue_items_are_counted_in_metrics);
    tcase_add_test(tc, the_figures_are_cached_for_the_configured_seconds);
    tcase_add_test(tc, the_daily_summary_counts_each_region_and_kind);
    tcase_add_test(tc, the_daily_summary_as_csv_for_excel);
    tcase_add_test(tc, the_daily_summary_refuses);
    tcase_add_test(tc, the_region_supervisor_is_named_by_subsidyctl);
    tcase_add_test(tc, overdue_items_are_escalated_once_across_holidays);
    tcase_add_test(tc, a_daily_timer_escalates_with_subsidyctl);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
