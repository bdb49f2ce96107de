/* API tier: public notice (结果公示) with objections (issue 14 "Public notice";
 * api/openapi.yaml getPublicNotices, objectToClaim, getObjection, dismissObjection,
 * upholdObjection; sql/0036_notice.sql).  Zhoushan electrician claims of Dinghai approved by a
 * district approver: the approval opens the notice period in its own transaction, 5 working
 * days on the calendar (the three weekdays after today holidays: the period ends after them);
 * a monthly setting keeps approved claims waiting for the region's list, published once however
 * often it is asked for.  The public list without a token — JSON, CSV and a printable page,
 * names and ID numbers masked, nothing that is not in notice — and its rate limit.  Objections
 * by anyone authenticated until the last day (the day after: 409), the objector reading only
 * the outcome, the claim back in the queue; dismissed (the period starts again) or upheld (the
 * grant cancelled, the quota place given back) by an approver of the region who is not the
 * objector.  The close: payable after the period with no open objection, a payment hold kept,
 * once however often and however many closers run at once, and by the daemon's own job.  There
 * is no clock option in the daemon: the tests move a claim's period into the past by SQL on its
 * notice dates only. */
#include <check.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d; /* --notice-close-every 0: the tests close */
static char admin[64], approver[64], colleague[64], stranger[64], stranger_id[19], city[64];
static unsigned serial = 11;
static int keys;

#define TODAY "(now() AT TIME ZONE 'Asia/Shanghai')::date"

/* This year's and next year's calendars with the three weekdays after today holidays. */
static bool holidays_ahead(void)
{
    return th_calendar_years(
        &d, &pg, admin,
        "WITH h AS (SELECT d::date AS d FROM generate_series(" TODAY " + 1, " TODAY
        " + 9, interval '1 day') d WHERE extract(isodow FROM d) < 6 ORDER BY d LIMIT 3)"
        " SELECT json_build_object('source', '测试', 'days', coalesce((SELECT"
        " json_agg(json_build_object('day', d::text, 'kind', 'holiday', 'name', '假日'))"
        " FROM h WHERE extract(year FROM d) = extract(year FROM " TODAY ") + %d),"
        " '[]'))::text || '|' || (extract(year FROM " TODAY ") + %d)",
        0, 1, "notice-cal");
}

/* The n-th working day after today on the calendar in the database (malloc'd). */
static char *working_day_after(int n)
{
    char sql[640];
    snprintf(sql, sizeof sql,
             "SELECT d::date::text FROM generate_series(" TODAY " + 1, " TODAY " + 100,"
             " interval '1 day') d WHERE extract(isodow FROM d) < 6 AND NOT EXISTS (SELECT 1"
             " FROM calendar_day c WHERE c.day = d AND c.kind = 'holiday')"
             " ORDER BY d OFFSET %d LIMIT 1",
             n - 1);
    return th_sql(&pg, sql);
}

static struct th_reply post(const char *path, const char *token, const char *body, const char *key)
{
    char k[32];
    snprintf(k, sizeof k, "notice-%d", keys++);
    return th_write(&d, "POST", path, token, key ? key : k, body);
}

static struct th_reply step(long long id, const char *what, const char *token, const char *body)
{
    char path[96];
    snprintf(path, sizeof path, "/v1/claims/%lld/%s", id, what);
    return post(path, token, body, NULL);
}

static void expect(struct th_reply r, long status, long code, const char *state)
{
    ck_assert_msg(r.status == status, "%ld (want %ld) %s", r.status, status, r.body);
    if (code)
        ck_assert_int_eq(json_integer_value(json_object_get(r.json, "code")), code);
    if (state)
        ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), state);
    th_reply_free(&r);
}

static long count_of(const char *fmt, long long id)
{
    char sql[400];
    snprintf(sql, sizeof sql, fmt, id);
    return th_count(&pg, sql);
}

static char *text_of(const char *fmt, long long id)
{
    char sql[400];
    snprintf(sql, sizeof sql, fmt, id);
    return th_sql(&pg, sql);
}

static void sql_run(const char *fmt, long long id)
{
    char sql[400];
    snprintf(sql, sizeof sql, fmt, id);
    free(th_sql(&pg, sql));
}

/* A new worker's claim, submitted: its id; *id_number the worker's ID number. */
static long long submitted(char id_number[19])
{
    char number[19];
    return th_electrician_claim(&d, &pg, 1988, serial++, "N", id_number ? id_number : number);
}

/* A new worker's claim, taken and approved by the approver: the approval's reply (state). */
static long long approved(const char *want_state, char id_number[19])
{
    long long id = submitted(id_number);
    expect(step(id, "take", approver, "{}"), 200, 0, "in_review");
    expect(step(id, "approve", approver, "{}"), 200, 0, want_state);
    return id;
}

/* Claim id's notice ended yesterday (its period moved back by SQL). */
static void notice_ended(long long id)
{
    sql_run("UPDATE claim SET notice_starts = " TODAY " - 8, notice_ends = " TODAY " - 1"
            " WHERE id = %lld",
            id);
}

static struct th_reply object(long long id, const char *token, const char *key)
{
    char path[64];
    snprintf(path, sizeof path, "/v1/claims/%lld/objections", id);
    return post(path, token,
                "{\"reason\":\"该学员未参加培训，证书系代考\",\"evidence\":\"举报材料A-1\"}", key);
}

/* An objection by token: its id. */
static long long objected(long long id, const char *token)
{
    struct th_reply r = object(id, token, NULL);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    long long oid = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    return oid;
}

static struct th_reply decide(long long id, long long oid, const char *what, const char *token,
                              const char *body)
{
    char path[96];
    snprintf(path, sizeof path, "/v1/claims/%lld/objections/%lld/%s", id, oid, what);
    return post(path, token, body, NULL);
}

/* The public list of Dinghai (or region) this month, as JSON (NULL accept) or else. */
static struct th_reply public_list(const char *region, const char *accept, const char *extra)
{
    char path[160], *month = th_sql(&pg, "SELECT to_char(" TODAY ", 'YYYY-MM')");
    snprintf(path, sizeof path, "/v1/public/notices?region=%s&period=%s&limit=200%s", region, month,
             extra ? extra : "");
    free(month);
    char header[64];
    snprintf(header, sizeof header, "Accept: %s", accept ? accept : "application/json");
    const char *h[] = {header, NULL};
    return th_http(&d, "GET", path, NULL, NULL, 0, h);
}

/* The item of claim id on the public list, or NULL; the caller decrefs. */
static json_t *listed(long long id)
{
    struct th_reply r = public_list("330902", NULL, NULL);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    json_t *it, *found = NULL;
    size_t i;
    json_array_foreach(json_object_get(r.json, "items"), i,
                       it) if (json_integer_value(json_object_get(it, "claim_id")) == id) found =
        json_incref(it);
    th_reply_free(&r);
    return found;
}

START_TEST(an_approval_opens_the_notice_across_the_holidays)
{
    long long id = submitted(NULL);
    expect(step(id, "take", approver, "{}"), 200, 0, "in_review");
    struct th_reply r = step(id, "approve", approver, "{}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "in_notice");
    ck_assert(json_is_true(json_object_get(json_object_get(r.json, "decision"), "eligible")));
    th_reply_free(&r);
    /* five working days after today: the three holidays do not count */
    char *want = working_day_after(5), *plain = text_of("SELECT (" TODAY " + 5)::text", 0);
    char *got = text_of("SELECT notice_starts::text || ' ' || notice_ends::text || ' ' ||"
                        " notice_period FROM claim WHERE id = %lld",
                        id);
    char expected[64];
    char *today = th_sql(&pg, "SELECT " TODAY "::text || ' ' || to_char(" TODAY ", 'YYYY-MM')");
    snprintf(expected, sizeof expected, "%.10s %s %s", today, want, today + 11);
    ck_assert_str_eq(got, expected);
    ck_assert_str_ne(want, plain);
    free(want);
    free(plain);
    free(got);
    free(today);
    /* one transaction: the approval and the notice's opening on the timeline, audited */
    ck_assert_int_eq(count_of("SELECT count(*) FROM claim_event WHERE claim_id = %lld AND"
                              " action = 'open_notice' AND from_state = 'approved' AND"
                              " to_state = 'in_notice' AND actor_role = 'approver'",
                              id),
                     1);
    ck_assert_int_eq(count_of("SELECT count(*) FROM audit WHERE object_id = '%lld' AND"
                              " action IN ('claim.approve', 'claim.open_notice')",
                              id),
                     2);
}
END_TEST

static int ctl(const char *const *args)
{
    return th_subsidyctl(&pg, args, NULL);
}

START_TEST(a_monthly_region_publishes_one_list)
{
    const char *monthly[] = {"notice", "set", "--policy", "zhoushan-2019", "--region", "330902",
                             "--days", "3",   "--mode",   "monthly",       NULL};
    ck_assert_int_eq(ctl(monthly), 0);
    long long id = approved("approved", NULL); /* waits for the list */
    ck_assert_int_eq(count_of("SELECT count(*) FROM claim_event WHERE claim_id = %lld AND"
                              " action = 'open_notice'",
                              id),
                     0);
    char *month = th_sql(&pg, "SELECT to_char(" TODAY ", 'YYYY-MM')"), out[] = "/tmp/nt-pubXXXXXX";
    int fd = mkstemp(out);
    close(fd);
    const char *publish[] = {"notice", "publish", "--region", "330902", "--period", month, NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, publish, out), 0);
    ck_assert(th_file_contains(out, "\"created\":true,\"claims\":1"));
    ck_assert_int_eq(th_subsidyctl(&pg, publish, out), 0); /* twice: one list, nothing moved */
    ck_assert(th_file_contains(out, "\"created\":false,\"claims\":0"));
    unlink(out);
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM notice_list WHERE region = '330902' AND period = '%s'"
             " AND days = 3",
             month);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    char *want = working_day_after(3);
    char *got = text_of("SELECT c.notice_ends::text FROM claim c JOIN notice_list l ON"
                        " l.id = c.notice_list_id WHERE c.id = %lld AND c.state = 'in_notice'"
                        " AND l.ends = c.notice_ends",
                        id);
    ck_assert_str_eq(got, want);
    free(got);
    free(want);
    free(month);
    ck_assert_int_eq(count_of("SELECT count(*) FROM claim_event WHERE claim_id = %lld AND"
                              " action = 'open_notice' AND actor_role = 'system'",
                              id),
                     1);
    /* malformed commands write nothing */
    const char *bad[][12] = {
        {"notice", "set", "--policy", "zhoushan-2019", "--days", "0", "--mode", "monthly", NULL},
        {"notice", "set", "--policy", "zhoushan-2019", "--days", "5", "--mode", "weekly", NULL},
        {"notice", "set", "--policy", "zhoushan-2019", "--days", "5", NULL},
        {"notice", "publish", "--region", "330902", "--period", "2026-13", NULL},
        {"notice", "publish", "--period", "2026-11", NULL},
        {"notice", "close", "--today", "2026-02-30", NULL},
    };
    long settings = th_count(&pg, "SELECT count(*) FROM notice_setting");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_int_eq(ctl(bad[i]), 2);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM notice_setting"), settings);
    /* back to claim by claim, for the tests after this one: a new version, audited */
    const char *per_claim[] = {"notice", "set", "--policy", "zhoushan-2019", "--region", "330902",
                               "--days", "5",   "--mode",   "per_claim",     NULL};
    ck_assert_int_eq(ctl(per_claim), 0);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM notice_setting WHERE region = '330902'"),
                     2);
    ck_assert_int_eq(
        th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'notice_setting.set'"), 2);
}
END_TEST

START_TEST(the_public_list_is_masked_and_only_in_notice)
{
    char id_number[19], waiting_id[19];
    long long id = approved("in_notice", id_number);
    long long waiting = submitted(waiting_id); /* in review: never listed */
    json_t *it = listed(id);
    ck_assert_ptr_nonnull(it);
    ck_assert_ptr_null(listed(waiting));
    ck_assert_str_eq(json_string_value(json_object_get(it, "state")), "in_notice");
    const char *name = json_string_value(json_object_get(it, "name"));
    ck_assert_msg(strchr(name, '*') != NULL, "name %s", name);
    char masked[19];
    snprintf(masked, sizeof masked, "%.6s********%.4s", id_number, id_number + 14);
    ck_assert_str_eq(json_string_value(json_object_get(it, "id_number_masked")), masked);
    ck_assert_str_eq(json_string_value(json_object_get(it, "occupation")), "6-18-02-09");
    ck_assert_str_eq(json_string_value(json_object_get(it, "level")), "level3");
    ck_assert_int_eq(json_integer_value(json_object_get(it, "amount_fen")),
                     count_of("SELECT amount_fen FROM claim WHERE id = %lld", id));
    ck_assert(json_is_string(json_object_get(it, "notice_ends")));
    ck_assert_ptr_nonnull(json_object_get(it, "institution"));
    json_decref(it);
    char *full = text_of("SELECT p.name FROM claim c JOIN person p ON p.id = c.person_id"
                         " WHERE c.id = %lld",
                         id);
    /* CSV and the printable page: the same, masked; nothing unmasked anywhere */
    const char *accepts[] = {NULL, "text/csv", "text/html"};
    const char *types[] = {"application/json", "text/csv; charset=utf-8",
                           "text/html; charset=utf-8"};
    for (int i = 0; i < 3; i++) {
        struct th_reply r = public_list("330902", accepts[i], NULL);
        ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
        ck_assert_str_eq(th_header(&r, "content-type"), types[i]);
        ck_assert_ptr_null(strstr(r.body, id_number));
        ck_assert_ptr_null(strstr(r.body, waiting_id));
        ck_assert_ptr_null(strstr(r.body, full));
        ck_assert_ptr_nonnull(strstr(r.body, masked));
        if (i == 1)
            ck_assert_ptr_nonnull(strstr(r.body, "\xEF\xBB\xBF"
                                                 "claim_id,state,region,name,id_number_masked,"));
        if (i == 2)
            ck_assert_ptr_nonnull(strstr(r.body, "职业培训补贴公示"));
        th_reply_free(&r);
    }
    struct th_reply r = public_list("330902", NULL, "&format=csv");
    ck_assert_str_eq(th_header(&r, "content-type"), "text/csv; charset=utf-8");
    th_reply_free(&r);
    /* the city's list takes its districts */
    r = public_list("330900", NULL, NULL);
    char needle[48];
    snprintf(needle, sizeof needle, "{\"claim_id\":%lld,", id);
    ck_assert_ptr_nonnull(strstr(r.body, needle));
    th_reply_free(&r);
    /* a rejected claim is not listed */
    long long rejected = submitted(NULL);
    expect(step(rejected, "take", approver, "{}"), 200, 0, "in_review");
    expect(step(rejected, "reject", approver,
                "{\"reason_codes\":[\"documents_false\"],\"reason\":\"材料不实\"}"),
           200, 0, "rejected");
    ck_assert_ptr_null(listed(rejected));
    free(full);
    /* bad queries */
    const char *bad[] = {"/v1/public/notices?region=330902",
                         "/v1/public/notices?period=2026-11",
                         "/v1/public/notices?region=330902&period=2026-13",
                         "/v1/public/notices?region=330902&period=2026-11&format=pdf",
                         "/v1/public/notices?region=330902&period=2026-11&limit=100000",
                         "/v1/public/notices?region=330902&period=2026-11&colour=red"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = th_http(&d, "GET", bad[i], NULL, NULL, 0, NULL);
        ck_assert_msg(r.status == 400, "%s: %ld %s", bad[i], r.status, r.body);
        th_reply_free(&r);
    }
}
END_TEST

START_TEST(the_public_list_is_rate_limited)
{
    struct th_daemon small;
    const char *args[] = {
        "--public-burst", "2", "--public-rate", "1", "--notice-close-every", "0", NULL};
    th_daemon_start(&small, &pg, args);
    ck_assert_int_ne(small.pid, 0);
    const char *path = "/v1/public/notices?region=330902&period=2026-11";
    for (int i = 0; i < 2; i++) {
        struct th_reply r = th_http(&small, "GET", path, NULL, NULL, 0, NULL);
        ck_assert_msg(r.status == 200, "request %d: %ld %s", i, r.status, r.body);
        th_reply_free(&r);
    }
    struct th_reply r = th_http(&small, "GET", path, NULL, NULL, 0, NULL);
    ck_assert_msg(r.status == 429, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "code")), 1099);
    ck_assert_ptr_nonnull(th_header(&r, "retry-after"));
    th_reply_free(&r);
    ck_assert_int_eq(th_daemon_stop(&small, SIGTERM), 0);
}
END_TEST

START_TEST(an_objection_sends_the_claim_back_to_review)
{
    long long id = approved("in_notice", NULL);
    struct th_reply r = object(id, stranger, "object-once");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "open");
    long long oid = json_integer_value(json_object_get(r.json, "id"));
    char location[64];
    snprintf(location, sizeof location, "/v1/objections/%lld", oid);
    ck_assert_str_eq(th_header(&r, "location"), location);
    struct th_reply again = object(id, stranger, "object-once");
    ck_assert_int_eq(again.status, 201);
    ck_assert_str_eq(again.body, r.body);
    th_reply_free(&again);
    th_reply_free(&r);
    ck_assert_int_eq(count_of("SELECT count(*) FROM objection WHERE claim_id = %lld", id), 1);
    ck_assert_int_eq(
        count_of("SELECT count(*) FROM claim WHERE id = %lld AND state = 'objected'", id), 1);
    /* on the timeline, the objector not named there (the objection row keeps who) */
    ck_assert_int_eq(count_of("SELECT count(*) FROM claim_event WHERE claim_id = %lld AND"
                              " action = 'object' AND actor IS NULL AND actor_role = 'objector'"
                              " AND detail->>'reason' LIKE '该学员%%'",
                              id),
                     1);
    ck_assert_int_eq(count_of("SELECT count(*) FROM audit WHERE action = 'objection.file'"
                              " AND after->>'claim_id' = '%lld' AND actor IS NOT NULL",
                              id),
                     1);
    /* back in the region's queue, and shown as objected on the public list */
    r = th_http(&d, "GET", "/v1/review/claims?limit=200", approver, NULL, 0, NULL);
    char needle[64];
    snprintf(needle, sizeof needle, "{\"id\":%lld,\"state\":\"objected\"", id);
    ck_assert_msg(strstr(r.body, needle) != NULL, "%s", r.body);
    th_reply_free(&r);
    json_t *it = listed(id);
    ck_assert_str_eq(json_string_value(json_object_get(it, "state")), "objected");
    json_decref(it);
    /* the objector reads only the outcome; nobody else reads it */
    r = th_http(&d, "GET", location, stranger, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "open");
    ck_assert(json_is_null(json_object_get(r.json, "decided_at")));
    ck_assert_int_eq(json_object_size(r.json), 5); /* id, claim_id, state, filed_at, decided_at */
    th_reply_free(&r);
    r = th_http(&d, "GET", location, approver, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    /* a second objection while one is under review */
    expect(object(id, approver, NULL), 409, 4361, NULL);
    /* a claim not in notice is no claim to an objector: in review, unknown */
    long long waiting = submitted(NULL);
    expect(object(waiting, stranger, NULL), 404, 1000, NULL);
    expect(object(999999999, stranger, NULL), 404, 1000, NULL);
    ck_assert_int_eq(count_of("SELECT count(*) FROM objection WHERE claim_id = %lld", waiting), 0);
    /* the body: reason required and bounded, nothing unknown */
    long long other = approved("in_notice", NULL);
    char path[64], big[2100];
    snprintf(path, sizeof path, "/v1/claims/%lld/objections", other);
    expect(post(path, stranger, "{}", NULL), 422, 1009, NULL);
    memset(big, 'x', 2001);
    big[2001] = '\0';
    char body[2200];
    snprintf(body, sizeof body, "{\"reason\":\"%s\"}", big);
    expect(post(path, stranger, body, NULL), 422, 1009, NULL);
    expect(post(path, stranger, "{\"reason\":\"x\",\"state\":\"upheld\"}", NULL), 400, 0, NULL);
    const char *json_type[] = {"Content-Type: application/json", "Idempotency-Key: anon-1", NULL};
    r = th_http(&d, "POST", path, NULL, "{\"reason\":\"x\"}", -1, json_type);
    ck_assert_int_eq(r.status, 401);
    th_reply_free(&r);
    ck_assert_int_eq(count_of("SELECT count(*) FROM objection WHERE claim_id = %lld", other), 0);
}
END_TEST

START_TEST(an_objection_is_taken_until_the_last_day)
{
    long long last = approved("in_notice", NULL), late = approved("in_notice", NULL);
    sql_run("UPDATE claim SET notice_starts = " TODAY " - 7, notice_ends = " TODAY
            " WHERE id = %lld",
            last);
    notice_ended(late);
    expect(object(last, stranger, NULL), 201, 0, "open");
    struct th_reply r = object(late, stranger, NULL);
    ck_assert_msg(r.status == 409, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "code")), 4360);
    ck_assert(json_is_string(json_object_get(r.json, "notice_ends")));
    th_reply_free(&r);
    ck_assert_int_eq(count_of("SELECT count(*) FROM objection WHERE claim_id = %lld", late), 0);
    ck_assert_int_eq(
        count_of("SELECT count(*) FROM claim WHERE id = %lld AND state = 'in_notice'", late), 1);
}
END_TEST

START_TEST(a_dismissed_objection_starts_the_period_again)
{
    long long id = approved("in_notice", NULL);
    sql_run("UPDATE claim SET notice_starts = " TODAY " - 3, notice_ends = " TODAY " + 1"
            " WHERE id = %lld",
            id);
    long long oid = objected(id, colleague);
    /* the objector's account may not decide it, not even as an approver of the region */
    expect(decide(id, oid, "dismiss", colleague, "{\"reason\":\"核查无误\"}"), 403, 4363, NULL);
    expect(decide(id, oid, "dismiss", stranger, "{\"reason\":\"核查无误\"}"), 403, 0, NULL);
    expect(decide(id, oid, "dismiss", approver, "{}"), 422, 1009, NULL);
    expect(decide(id, oid + 1000, "dismiss", approver, "{\"reason\":\"核查无误\"}"), 404, 1000,
           NULL);
    expect(step(id, "take", approver, "{}"), 200, 0, "objected"); /* taken: the state stays */
    expect(decide(id, oid, "dismiss", city, "{\"reason\":\"核查无误\"}"), 409, 4301, NULL);
    struct th_reply r =
        decide(id, oid, "dismiss", approver, "{\"reason\":\"经核查，培训签到记录齐全\"}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "in_notice");
    th_reply_free(&r);
    char *want = working_day_after(5);
    char *got =
        text_of("SELECT notice_ends::text FROM claim WHERE id = %lld AND notice_starts = " TODAY
                " AND assigned_token IS NULL",
                id);
    ck_assert_str_eq(got, want);
    free(got);
    free(want);
    ck_assert_int_eq(count_of("SELECT count(*) FROM claim_event WHERE claim_id = %lld AND"
                              " action = 'dismiss_objection' AND from_state = 'objected' AND"
                              " to_state = 'in_notice'",
                              id),
                     1);
    char path[64];
    snprintf(path, sizeof path, "/v1/objections/%lld", oid);
    r = th_http(&d, "GET", path, colleague, NULL, 0, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "dismissed");
    ck_assert(json_is_string(json_object_get(r.json, "decided_at")));
    th_reply_free(&r);
    /* a decided objection is not decided again */
    long long second = objected(id, stranger);
    expect(decide(id, oid, "uphold", approver, "{\"reason\":\"再议\"}"), 409, 4362, NULL);
    expect(decide(id, second, "dismiss", approver, "{\"reason\":\"同上\"}"), 200, 0, "in_notice");
    expect(decide(id, second, "dismiss", approver, "{\"reason\":\"同上\"}"), 409, 4004, NULL);
}
END_TEST

START_TEST(an_upheld_objection_cancels_the_grant)
{
    long long id = approved("in_notice", NULL);
    long quota = count_of("SELECT q.used FROM claim_quota q JOIN claim c ON c.person_id ="
                          " q.person_id AND c.year = q.year WHERE c.id = %lld",
                          id);
    long long oid = objected(id, stranger);
    struct th_reply r =
        decide(id, oid, "uphold", approver, "{\"reason\":\"经核查证书系代考取得\"}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "rejected");
    th_reply_free(&r);
    ck_assert_int_eq(count_of("SELECT q.used FROM claim_quota q JOIN claim c ON c.person_id ="
                              " q.person_id AND c.year = q.year WHERE c.id = %lld",
                              id),
                     quota - 1);
    ck_assert_int_eq(count_of("SELECT count(*) FROM claim_event WHERE claim_id = %lld AND"
                              " action = 'uphold_objection' AND to_state = 'rejected' AND"
                              " detail->'reason_codes' ? 'objection_upheld' AND"
                              " reason = '经核查证书系代考取得'",
                              id),
                     1);
    ck_assert_int_eq(count_of("SELECT count(*) FROM audit WHERE object_id = '%lld' AND"
                              " action = 'claim.uphold_objection'",
                              id),
                     1);
    char path[64];
    snprintf(path, sizeof path, "/v1/objections/%lld", oid);
    r = th_http(&d, "GET", path, stranger, NULL, 0, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "upheld");
    th_reply_free(&r);
    ck_assert_ptr_null(listed(id));
}
END_TEST

START_TEST(the_close_makes_ended_notices_payable_once)
{
    long long due = approved("in_notice", NULL), held = approved("in_notice", NULL),
              open = approved("in_notice", NULL), running = approved("in_notice", NULL);
    sql_run("UPDATE claim SET payment_hold = 'certificate_revoked' WHERE id = %lld", held);
    objected(open, stranger);
    notice_ended(due);
    notice_ended(held);
    notice_ended(open);
    const char *close_args[] = {"notice", "close", NULL};
    ck_assert_int_eq(ctl(close_args), 0);
    ck_assert_int_eq(
        count_of("SELECT count(*) FROM claim WHERE id = %lld AND state = 'payable'", due), 1);
    ck_assert_int_eq(count_of("SELECT count(*) FROM claim WHERE id = %lld AND state = 'payable'"
                              " AND payment_hold = 'certificate_revoked'",
                              held),
                     1);
    ck_assert_int_eq(
        count_of("SELECT count(*) FROM claim WHERE id = %lld AND state = 'objected'", open), 1);
    ck_assert_int_eq(
        count_of("SELECT count(*) FROM claim WHERE id = %lld AND state = 'in_notice'", running), 1);
    ck_assert_int_eq(ctl(close_args), 0); /* again: nothing more */
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(count_of("SELECT count(*) FROM claim_event WHERE claim_id = %lld AND"
                                  " action = 'notice_elapsed' AND actor_role = 'system'",
                                  i ? held : due),
                         1);
    ck_assert_int_eq(count_of("SELECT count(*) FROM audit WHERE object_id = '%lld' AND"
                              " action = 'claim.notice_elapsed'",
                              due),
                     1);
    ck_assert_ptr_null(listed(due));
}
END_TEST

struct closer {
    char out[32];
    int rc;
};

static void *close_once(void *arg)
{
    struct closer *c = arg;
    const char *args[] = {"notice", "close", NULL};
    c->rc = th_subsidyctl(&pg, args, c->out);
    return NULL;
}

START_TEST(two_closers_close_each_claim_once)
{
    enum { N = 12 };
    long long ids[N];
    for (int i = 0; i < N; i++) {
        ids[i] = approved("in_notice", NULL);
        notice_ended(ids[i]);
    }
    /* a third closer holds the first half, closed but not committed, while the two run: they
     * pass over what it holds (else, waiting for it, they would close them again after it) */
    char held[256] = "";
    for (int i = 0; i < N / 2; i++)
        snprintf(held + strlen(held), sizeof held - strlen(held), "%s%lld", i ? "," : "", ids[i]);
    char sql[1024];
    snprintf(sql, sizeof sql,
             "WITH c AS (UPDATE claim SET state = 'payable', updated_at = now() WHERE id IN (%s)"
             " AND state = 'in_notice' RETURNING id) INSERT INTO claim_event (claim_id,"
             " actor_role, action, from_state, to_state, request_id) SELECT id, 'system',"
             " 'notice_elapsed', 'in_notice', 'payable', 'third' FROM c",
             held);
    PGconn *third = th_pg_super(&pg);
    PQclear(PQexec(third, "BEGIN"));
    PGresult *res = PQexec(third, sql);
    ck_assert_int_eq(PQresultStatus(res), PGRES_COMMAND_OK);
    PQclear(res);
    struct closer c[2] = {{"/tmp/nt-close-aXXXXXX", -1}, {"/tmp/nt-close-bXXXXXX", -1}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++) {
        close(mkstemp(c[i].out));
        ck_assert_int_eq(pthread_create(&t[i], NULL, close_once, &c[i]), 0);
    }
    usleep(1500000); /* the two are running their statements */
    PQclear(PQexec(third, "COMMIT"));
    PQfinish(third);
    int closed = 0;
    for (int i = 0; i < 2; i++) {
        pthread_join(t[i], NULL);
        ck_assert_int_eq(c[i].rc, 0);
        FILE *f = fopen(c[i].out, "r");
        int n = -1;
        ck_assert_int_eq(fscanf(f, "{\"closed\":%d}", &n), 1);
        fclose(f);
        unlink(c[i].out);
        closed += n;
    }
    ck_assert_int_ge(closed, N / 2); /* the other half, each once; nothing twice */
    for (int i = 0; i < N; i++) {
        ck_assert_int_eq(count_of("SELECT count(*) FROM claim WHERE id = %lld AND"
                                  " state = 'payable'",
                                  ids[i]),
                         1);
        ck_assert_int_eq(count_of("SELECT count(*) FROM claim_event WHERE claim_id = %lld AND"
                                  " action = 'notice_elapsed'",
                                  ids[i]),
                         1);
    }
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM (SELECT claim_id FROM claim_event WHERE"
                                   " action = 'notice_elapsed' GROUP BY claim_id"
                                   " HAVING count(*) > 1) x"),
                     0);
}
END_TEST

START_TEST(the_daemon_closes_on_its_own)
{
    long long id = approved("in_notice", NULL);
    notice_ended(id);
    struct th_daemon closer;
    const char *args[] = {"--notice-close-every", "1", NULL};
    th_daemon_start(&closer, &pg, args);
    ck_assert_int_ne(closer.pid, 0);
    bool payable = false;
    for (int i = 0; i < 100 && !payable; i++) {
        payable =
            count_of("SELECT count(*) FROM claim WHERE id = %lld AND state = 'payable'", id) == 1;
        if (!payable)
            usleep(100000);
    }
    ck_assert_int_eq(th_daemon_stop(&closer, SIGTERM), 0);
    ck_assert(payable);
    ck_assert_int_eq(count_of("SELECT count(*) FROM claim_event WHERE claim_id = %lld AND"
                              " action = 'notice_elapsed' AND request_id = 'notice-close'",
                              id),
                     1);
}
END_TEST

/* What the statement's SQLSTATE is ("" when it succeeded), rolled back either way. */
static char *sqlstate_of(const char *fmt, long long id)
{
    char sql[400];
    snprintf(sql, sizeof sql, fmt, id);
    PGconn *c = th_pg_super(&pg);
    PQclear(PQexec(c, "BEGIN"));
    PGresult *res = PQexec(c, sql);
    const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    char *out = strdup(st ? st : "");
    PQclear(res);
    PQclear(PQexec(c, "ROLLBACK"));
    PQfinish(c);
    return out;
}

static void refused_with(const char *sqlstate, const char *fmt, long long id)
{
    char *got = sqlstate_of(fmt, id);
    ck_assert_msg(strcmp(got, sqlstate) == 0, "%s: %s (want %s)", fmt, got, sqlstate);
    free(got);
}

START_TEST(the_schema_holds_the_notice_rules)
{
    long long id = approved("in_notice", NULL), waiting = submitted(NULL);
    /* a claim in notice or objected always has its period (claim_notice_dated) */
    refused_with("23514", "UPDATE claim SET notice_ends = NULL WHERE id = %lld", id);
    refused_with("23514", "UPDATE claim SET notice_ends = notice_starts - 1 WHERE id = %lld", id);
    refused_with("23514", "UPDATE claim SET state = 'in_notice' WHERE id = %lld", waiting);
    /* one open objection per claim (objection_one_open), decided ones with when and by whom */
    objected(id, stranger);
    refused_with("23505",
                 "INSERT INTO objection (claim_id, objector, reason, request_id)"
                 " SELECT claim_id, objector, 'again', 'x' FROM objection WHERE claim_id = %lld",
                 id);
    refused_with("23514", "UPDATE objection SET state = 'upheld' WHERE claim_id = %lld", id);
}
END_TEST

int main(void)
{
    const char *const args[] = {"--notice-close-every", "0", NULL};
    th_start(&pg, &d, args);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_token(&pg, "approver", NULL, "330902", approver);
    th_token(&pg, "approver", NULL, "330902", colleague);
    th_token(&pg, "approver", NULL, "330900", city);
    th_resident_id(stranger_id, "330903", 1970, 3);
    th_token(&pg, "applicant", stranger_id, NULL, stranger);
    if (!th_electrician_catalog(&d, admin) || !holidays_ahead()) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("claim_notice");
    TCase *tc = tcase_create("notice");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, an_approval_opens_the_notice_across_the_holidays);
    tcase_add_test(tc, a_monthly_region_publishes_one_list);
    tcase_add_test(tc, the_public_list_is_masked_and_only_in_notice);
    tcase_add_test(tc, the_public_list_is_rate_limited);
    tcase_add_test(tc, an_objection_sends_the_claim_back_to_review);
    tcase_add_test(tc, an_objection_is_taken_until_the_last_day);
    tcase_add_test(tc, a_dismissed_objection_starts_the_period_again);
    tcase_add_test(tc, an_upheld_objection_cancels_the_grant);
    tcase_add_test(tc, the_close_makes_ended_notices_payable_once);
    tcase_add_test(tc, two_closers_close_each_claim_once);
    tcase_add_test(tc, the_daemon_closes_on_its_own);
    tcase_add_test(tc, the_schema_holds_the_notice_rules);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
