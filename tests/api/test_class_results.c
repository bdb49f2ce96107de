/* API tier: assessment results of a completed class and closing it (issue 12 "Completion",
 * "Evaluation bodies", "acceptance receipt"): results as JSON and CSV (every bad row named at
 * once, nothing written; preview writes nothing), only trainees who passed completion, a
 * certificate already backing a live claim of its kind or repeated refused, results of a
 * suspended or black-listed evaluation body held for review, the receipt as JSON and as a
 * printable page, replays byte for byte, the results read (masked) as JSON and CSV, and an
 * approver of the region closing the assessed class. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], inst[64], other_inst[64], approver[64], far_approver[64];
static char body_ok[19], body_suspended[19], body_black[19];
static unsigned serial = 500;

static struct th_reply post(long long id, const char *what, const char *token, const char *key,
                            const char *body)
{
    char path[256];
    snprintf(path, sizeof path, "/v1/classes/%lld/%s", id, what);
    return th_write(&d, "POST", path, token, key, body);
}

static struct th_reply get(long long id, const char *what, const char *token,
                           const char *const *headers)
{
    char path[256];
    snprintf(path, sizeof path, "/v1/classes/%lld/%s", id, what);
    return th_http(&d, "GET", path, token, NULL, 0, headers);
}

static long count_of(const char *fmt, long long id)
{
    char sql[400];
    snprintf(sql, sizeof sql, fmt, id);
    return th_count(&pg, sql);
}

static void expect_problem(struct th_reply *r, long status, const char *code_name)
{
    ck_assert_msg(r->status == status, "%ld %s", r->status, r->body);
    if (code_name)
        ck_assert_msg(strstr(r->body, code_name), "%s", r->body);
    th_reply_free(r);
}

static void ok(struct th_reply r)
{
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
}

/* A class of three trainees (ids), running from today; with complete, completed with 甲 and 乙
 * passed and 丙 failed. */
static long long new_class(char ids[3][19], const char *key, bool complete)
{
    char roster[400], body[1600], k[80], sql[200];
    for (int i = 0; i < 3; i++)
        th_resident_id(ids[i], "330902", 1991, serial++);
    snprintf(roster, sizeof roster,
             "[{\"id_number\":\"%s\",\"name\":\"甲一\"},{\"id_number\":\"%s\",\"name\":\"乙二\"},"
             "{\"id_number\":\"%s\",\"name\":\"丙三\"}]",
             ids[0], ids[1], ids[2]);
    th_class_body(body, sizeof body, "6-18-02-05", "2027-03-01", 30, roster);
    long long id = th_class_file(&d, inst, key, body);
    ck_assert(id);
    snprintf(k, sizeof k, "%s-acc", key);
    ok(post(id, "accept", approver, k, "{}"));
    snprintf(sql, sizeof sql,
             "UPDATE class SET start_date = (now() AT TIME ZONE 'Asia/Shanghai')::date"
             " WHERE id = %lld",
             id);
    free(th_sql(&pg, sql));
    snprintf(k, sizeof k, "%s-start", key);
    ok(post(id, "start", inst, k, "{}"));
    if (!complete)
        return id;
    snprintf(body, sizeof body,
             "{\"trainees\":[{\"id_number\":\"%s\",\"attendance_hours\":120,\"passed\":true},"
             "{\"id_number\":\"%s\",\"attendance_hours\":110,\"passed\":true},"
             "{\"id_number\":\"%s\",\"attendance_hours\":10,\"passed\":false}]}",
             ids[0], ids[1], ids[2]);
    snprintf(k, sizeof k, "%s-done", key);
    ok(post(id, "completion", inst, k, body));
    return id;
}

/* One result row as JSON. */
static void row(char *out, size_t len, const char *id, const char *number, const char *body)
{
    snprintf(out, len,
             "{\"id_number\":\"%s\",\"kind\":\"qualification\",\"number\":\"%s\","
             "\"level\":\"level4\",\"issue_date\":\"2026-11-20\",\"body_code\":\"%s\"}",
             id, number, body);
}

static void two_rows(char *out, size_t len, char ids[3][19], const char *n1, const char *n2,
                     const char *b1, const char *b2)
{
    char a[300], b[300];
    row(a, sizeof a, ids[0], n1, b1);
    row(b, sizeof b, ids[1], n2, b2);
    snprintf(out, len, "{\"results\":[%s,%s]}", a, b);
}

START_TEST(results_are_recorded_with_a_receipt_and_the_class_is_assessed)
{
    char ids[3][19], body[900];
    long long id = new_class(ids, "res-ok", true);
    /* lower case and spaces: kept as the certificate is spelled */
    two_rows(body, sizeof body, ids, " zs-q-001 ", "ZS-Q-002", body_ok, body_ok);
    /* preview: the same answer, nothing written */
    struct th_reply p = post(id, "results?preview=true", inst, NULL, body);
    ck_assert_msg(p.status == 200 && json_is_true(json_object_get(p.json, "dry_run")), "%ld %s",
                  p.status, p.body);
    th_reply_free(&p);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_result WHERE class_id = %lld", id), 0);
    ck_assert_int_eq(
        count_of("SELECT count(*) FROM class WHERE id = %lld AND state = 'completed'", id), 1);
    struct th_reply a = post(id, "results", inst, "res-ok-1", body);
    ck_assert_msg(a.status == 200, "%ld %s", a.status, a.body);
    const char *no = json_string_value(json_object_get(a.json, "receipt_no"));
    ck_assert_msg(no && strncmp(no, "JD", 2) == 0 && strlen(no) == 18, "%s", a.body);
    json_t *got = json_object_get(a.json, "received");
    ck_assert_int_eq(json_integer_value(json_object_get(got, "results")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(got, "held")), 0);
    ck_assert_str_eq(json_string_value(json_object_get(a.json, "state")), "assessed");
    ck_assert_str_eq(json_string_value(json_object_get(a.json, "next_step")), "close");
    /* the next step's deadline: the review's working days from today, not the completion's */
    const char *due = json_string_value(json_object_get(a.json, "deadline"));
    ck_assert(due);
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM (SELECT '%s'::date AS d) x WHERE x.d > (now() AT TIME ZONE "
             "'Asia/Shanghai')::date"
             " AND x.d <= (now() AT TIME ZONE 'Asia/Shanghai')::date + 60",
             due);
    ck_assert_msg(th_count(&pg, sql) == 1, "deadline %s", due);
    /* a replay: the same reply byte for byte, nothing written twice */
    struct th_reply b = post(id, "results", inst, "res-ok-1", body);
    ck_assert_int_eq(b.status, 200);
    ck_assert_str_eq(b.body, a.body);
    ck_assert_ptr_null(th_header(&a, "idempotent-replayed"));
    ck_assert_str_eq(th_header(&b, "idempotent-replayed"), "true");
    th_reply_free(&b);
    /* the printable page of the same receipt */
    char path[96];
    snprintf(path, sizeof path, "/v1/classes/%lld/results", id);
    const char *html[] = {"Idempotency-Key: res-ok-1", "Content-Type: application/json",
                          "Accept: text/html", NULL};
    b = th_http(&d, "POST", path, inst, body, -1, html);
    ck_assert_msg(b.status == 200 && strstr(th_header(&b, "content-type"), "text/html") &&
                      strstr(b.body, "考核鉴定结果受理回执") && strstr(b.body, no) &&
                      strstr(b.body, "审核人员结班"),
                  "%ld %s", b.status, b.body);
    ck_assert_msg(th_header(&b, "idempotent-replayed") &&
                      strcmp(th_header(&b, "idempotent-replayed"), "true") == 0,
                  "the printable page of a replay says it is one");
    th_reply_free(&b);
    th_reply_free(&a);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_result WHERE class_id = %lld"
                              " AND NOT held AND number IN ('ZS-Q-001', 'ZS-Q-002')",
                              id),
                     2);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class WHERE id = %lld AND state = 'assessed'"
                              " AND deadline IS NOT NULL",
                              id),
                     1);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_event WHERE class_id = %lld"
                              " AND action = 'assess' AND from_state = 'completed'"
                              " AND to_state = 'assessed' AND (detail->>'results')::int = 2",
                              id),
                     1);
    ck_assert_int_eq(count_of("SELECT count(*) FROM audit WHERE action = 'class.assess'"
                              " AND object_id = '%lld'",
                              id),
                     1);
    /* read back: masked, for the institution and the region's approver, JSON and CSV */
    struct th_reply r = get(id, "results", inst, NULL);
    json_t *items = json_object_get(r.json, "items");
    ck_assert_msg(r.status == 200 && json_array_size(items) == 2, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "name")), "甲*");
    ck_assert_msg(!strstr(r.body, ids[0]), "%s", r.body);
    th_reply_free(&r);
    r = get(id, "results", approver, NULL);
    ck_assert_int_eq(r.status, 200);
    th_reply_free(&r);
    const char *csv[] = {"Accept: text/csv", NULL};
    r = get(id, "results", approver, csv);
    ck_assert_msg(r.status == 200 && strstr(th_header(&r, "content-type"), "text/csv") &&
                      strstr(r.body, "ZS-Q-002") && strstr(r.body, "issuing_body") &&
                      !strstr(r.body, ids[1]),
                  "%ld %s", r.status, r.body);
    th_reply_free(&r);
    r = get(id, "results", far_approver, NULL);
    expect_problem(&r, 404, NULL);
    r = get(id, "results", other_inst, NULL);
    expect_problem(&r, 404, NULL);
    /* assessed once: a second upload is a state conflict */
    r = post(id, "results", inst, "res-ok-2", body);
    expect_problem(&r, 409, "class_state_conflict");
}
END_TEST

START_TEST(every_bad_row_is_named_and_nothing_is_written)
{
    char ids[3][19], stranger[19], body[2400], r1[300], r2[300], r3[300], r4[300], r5[300];
    long long id = new_class(ids, "res-bad", true);
    th_resident_id(stranger, "330902", 1990, serial++);
    char unknown[19];
    th_credit_code(unknown, "330900", 99);
    row(r1, sizeof r1, stranger, "BAD-1", body_ok); /* not on the roster */
    row(r2, sizeof r2, ids[2], "BAD-2", body_ok);   /* 丙 failed completion */
    row(r3, sizeof r3, ids[0], "BAD-3", unknown);   /* not a registered body */
    row(r4, sizeof r4, ids[1], "BAD-3", body_ok);   /* the same certificate as row 3 */
    snprintf(r5, sizeof r5,                         /* bad fields */
             "{\"id_number\":\"%s\",\"kind\":\"Qualification!\",\"number\":\"X\","
             "\"level\":\"level9\",\"issue_date\":\"2099-01-01\",\"body_code\":\"%s\"}",
             ids[1], body_ok);
    snprintf(body, sizeof body, "{\"results\":[%s,%s,%s,%s,%s]}", r1, r2, r3, r4, r5);
    struct th_reply r = post(id, "results", inst, "res-bad-1", body);
    ck_assert_msg(strstr(r.body, "results_invalid"), "%s", r.body);
    const char *const fields[] = {"results[4].number", "results[5].id_number", "results[5].kind",
                                  "results[5].level", "results[5].issue_date"};
    th_expect_fields(&r, 422, fields, 5);
    /* the rows only the database can judge, once the fields are right */
    snprintf(body, sizeof body, "{\"results\":[%s,%s,%s]}", r1, r2, r3);
    r = post(id, "results", inst, "res-bad-2", body);
    ck_assert_msg(strstr(r.body, "results_invalid") && strstr(r.body, "trainee_not_passed"), "%s",
                  r.body);
    const char *const db_fields[] = {"results[1].id_number", "results[2].id_number",
                                     "results[3].issuing_body"};
    th_expect_fields(&r, 422, db_fields, 3);
    /* an empty upload */
    r = post(id, "results", inst, "res-bad-3", "{\"results\":[]}");
    const char *const none[] = {"results"};
    th_expect_fields(&r, 422, none, 1);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_result WHERE class_id = %lld", id), 0);
    ck_assert_int_eq(
        count_of("SELECT count(*) FROM class WHERE id = %lld AND state = 'completed'", id), 1);
}
END_TEST

START_TEST(a_certificate_backing_a_live_claim_is_refused)
{
    char ids[3][19], body[900], sql[900];
    long long id = new_class(ids, "res-claim", true);
    /* 甲's certificate already backs a submitted claim */
    snprintf(sql, sizeof sql,
             "WITH k AS (INSERT INTO certificate (kind, number, person_id)"
             "  SELECT 'qualification', 'CLAIMED-1', r.person_id FROM class_roster_entry r"
             "   WHERE r.class_id = %lld AND r.row_no = 1 RETURNING id, person_id)"
             " INSERT INTO claim (owner_role, owner_subject, person_id, region, kind, state,"
             "   input, year, policy_id, decision, certificate_id)"
             " SELECT 'applicant', 'someone', k.person_id, '330902', 'certificate_training',"
             "   'submitted', '{}', 2027, 'zhoushan-2019', '{}', k.id FROM k RETURNING id",
             id);
    char *claim = th_sql(&pg, sql);
    ck_assert_msg(claim && *claim, "the claim was not inserted");
    two_rows(body, sizeof body, ids, "CLAIMED-1", "FREE-1", body_ok, body_ok);
    struct th_reply r = post(id, "results", inst, "res-claim-1", body);
    ck_assert_msg(strstr(r.body, "certificate_already_used"), "%s", r.body);
    const char *const fields[] = {"results[1].number"};
    th_expect_fields(&r, 422, fields, 1);
    /* withdrawn, the claim no longer holds it */
    snprintf(sql, sizeof sql, "UPDATE claim SET state = 'withdrawn' WHERE id = %s", claim);
    free(th_sql(&pg, sql));
    free(claim);
    ok(post(id, "results", inst, "res-claim-2", body));
    /* recorded once: another class may not record the same certificate */
    char more[3][19];
    long long other = new_class(more, "res-claim-b", true);
    two_rows(body, sizeof body, more, "FREE-1", "FREE-2", body_ok, body_ok);
    r = post(other, "results", inst, "res-claim-3", body);
    const char *const again[] = {"results[1].number"};
    th_expect_fields(&r, 422, again, 1);
}
END_TEST

struct upload {
    long long id;
    const char *body;
    struct th_reply r;
};

static void *upload(void *arg)
{
    struct upload *u = arg;
    u->r = post(u->id, "results", inst, "res-race", u->body);
    return NULL;
}

/* Two classes record one certificate at the same moment: the later one waits on the earlier's
 * uncommitted row (after its own check found the number free), and is then refused like any
 * certificate already recorded — 422 naming the row, nothing of it written — not a 500. */
START_TEST(a_certificate_recorded_by_another_class_at_the_same_moment_is_refused)
{
    char ids[3][19], more[3][19], body[900], sql[700];
    long long id = new_class(ids, "res-race-a", true);
    long long other = new_class(more, "res-race-b", true);
    PGconn *holder = th_pg_super(&pg);
    PQclear(PQexec(holder, "BEGIN"));
    snprintf(sql, sizeof sql,
             "INSERT INTO class_result (class_id, entry_id, row_no, kind, number, level,"
             " issue_date, body_code, held) SELECT %lld, r.id, 1, 'qualification', 'RACE-1',"
             " 'level4', '2026-11-20', '%s', false FROM class_roster_entry r"
             " WHERE r.class_id = %lld AND r.row_no = 1",
             other, body_ok, other);
    PGresult *res = PQexec(holder, sql);
    ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK, "%s", PQerrorMessage(holder));
    PQclear(res);
    two_rows(body, sizeof body, ids, "FREE-R2", "RACE-1", body_ok, body_ok);
    struct upload u = {id, body, {0}};
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, upload, &u), 0);
    /* the upload checked (RACE-1 not visible yet) and waits on the holder's row */
    for (int i = 0; i < 100 && th_count(&pg, "SELECT count(*) FROM pg_stat_activity"
                                             " WHERE wait_event_type = 'Lock'") == 0;
         i++)
        usleep(20000);
    PQclear(PQexec(holder, "COMMIT"));
    PQfinish(holder);
    pthread_join(t, NULL);
    ck_assert_msg(strstr(u.r.body, "certificate_already_used"), "%s", u.r.body);
    const char *const fields[] = {"results[2].number"};
    th_expect_fields(&u.r, 422, fields, 1);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_result WHERE class_id = %lld", id), 0);
    ck_assert_int_eq(
        count_of("SELECT count(*) FROM class WHERE id = %lld AND state = 'completed'", id), 1);
}
END_TEST

START_TEST(results_of_a_suspended_or_listed_body_are_held)
{
    char ids[3][19], body[900];
    long long id = new_class(ids, "res-held", true);
    two_rows(body, sizeof body, ids, "HELD-1", "HELD-2", body_suspended, body_black);
    struct th_reply r = post(id, "results", inst, "res-held-1", body);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_object_get(r.json, "received"), "held")), 2);
    th_reply_free(&r);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_result WHERE class_id = %lld AND held"
                              " AND hold_reason = 'body_suspended' AND number = 'HELD-1'",
                              id),
                     1);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_result WHERE class_id = %lld AND held"
                              " AND hold_reason = 'body_black_listed' AND number = 'HELD-2'",
                              id),
                     1);
    r = get(id, "results", inst, NULL);
    ck_assert_msg(
        json_is_true(json_object_get(json_array_get(json_object_get(r.json, "items"), 1), "held")),
        "%s", r.body);
    th_reply_free(&r);
}
END_TEST

START_TEST(results_as_csv_name_rows_by_number)
{
    char ids[3][19], csv[900], path[96];
    long long id = new_class(ids, "res-csv", true);
    snprintf(path, sizeof path, "/v1/classes/%lld/results", id);
    snprintf(csv, sizeof csv,
             "\xEF\xBB\xBF身份证号,证书类别,证书编号,等级,发证日期,评价机构代码\n"
             "%s,qualification,CSV-1,level4,2026-11-20,%s\n"
             "%s,qualification,CSV-2,level4,2026-13-01,%s\n",
             ids[0], body_ok, ids[1], body_ok);
    struct th_reply r = th_post_csv(&d, path, inst, "res-csv-1", csv);
    const char *const bad[] = {"results[2].issue_date"};
    th_expect_fields(&r, 422, bad, 1);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_result WHERE class_id = %lld", id), 0);
    snprintf(csv, sizeof csv,
             "id_number,kind,number,level,issue_date,body_code\n"
             "%s,qualification,CSV-1,level4,2026-11-20,%s\n"
             "%s,qualification,CSV-2,level4,2026-11-21,%s\n",
             ids[0], body_ok, ids[1], body_ok);
    r = th_post_csv(&d, path, inst, "res-csv-2", csv);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_result WHERE class_id = %lld", id), 2);
}
END_TEST

START_TEST(only_the_institution_records_results_of_a_completed_class)
{
    char ids[3][19], body[900];
    long long running = new_class(ids, "res-who", false);
    two_rows(body, sizeof body, ids, "WHO-1", "WHO-2", body_ok, body_ok);
    struct th_reply r = post(running, "results", inst, "res-who-1", body);
    expect_problem(&r, 409, "class_state_conflict");
    char more[3][19];
    long long id = new_class(more, "res-who-b", true);
    two_rows(body, sizeof body, more, "WHO-1", "WHO-2", body_ok, body_ok);
    r = post(id, "results", other_inst, "res-who-2", body);
    expect_problem(&r, 404, NULL);
    r = post(id, "results", approver, "res-who-3", body);
    expect_problem(&r, 403, NULL);
    r = post(id, "results", inst, NULL, body);
    expect_problem(&r, 400, NULL);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_result WHERE class_id = %lld", id), 0);
}
END_TEST

START_TEST(an_approver_of_the_region_closes_an_assessed_class)
{
    char ids[3][19], body[900];
    long long id = new_class(ids, "res-close", true);
    struct th_reply r = post(id, "close", approver, "close-early", "{}");
    expect_problem(&r, 409, "class_state_conflict");
    two_rows(body, sizeof body, ids, "CLOSE-1", "CLOSE-2", body_ok, body_ok);
    ok(post(id, "results", inst, "res-close-1", body));
    r = post(id, "close", far_approver, "close-far", "{}");
    expect_problem(&r, 404, NULL);
    r = post(id, "close", inst, "close-inst", "{}");
    expect_problem(&r, 403, NULL);
    struct th_reply a = post(id, "close", approver, "close-1", "{\"reason\":\"结果已核\"}");
    ck_assert_msg(a.status == 200 &&
                      strcmp(json_string_value(json_object_get(a.json, "state")), "closed") == 0,
                  "%ld %s", a.status, a.body);
    struct th_reply b = post(id, "close", approver, "close-1", "{\"reason\":\"结果已核\"}");
    ck_assert_str_eq(b.body, a.body);
    th_reply_free(&a);
    th_reply_free(&b);
    r = post(id, "close", approver, "close-2", "{}");
    expect_problem(&r, 409, "class_state_conflict");
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_event WHERE class_id = %lld"
                              " AND action = 'close' AND from_state = 'assessed'"
                              " AND to_state = 'closed' AND actor_role = 'approver'",
                              id),
                     1);
    ck_assert_int_eq(count_of("SELECT count(*) FROM audit WHERE action = 'class.close'"
                              " AND object_id = '%lld'",
                              id),
                     1);
}
END_TEST

/* A claim of a trainee on certificate kind/number in state, inserted as the service would hold
 * it; its id as text (caller frees). */
static char *claim_on(long long class_id, const char *number, const char *state)
{
    char sql[900];
    snprintf(
        sql, sizeof sql,
        "WITH k AS (INSERT INTO certificate (kind, number, person_id)"
        "  SELECT 'qualification', '%s', r.person_id FROM class_roster_entry r"
        "   WHERE r.class_id = %lld AND r.row_no = 1 RETURNING id, person_id)"
        " INSERT INTO claim (owner_role, owner_subject, person_id, region, kind, state,"
        "   input, year, policy_id, policy_version, decision, certificate_id, submitted_at)"
        " SELECT 'applicant', 'someone', k.person_id, '330902', 'certificate_training',"
        "   '%s', '{}', 2027, 'zhoushan-2019', 1, '{\"eligible\": true, \"amount_fen\": 100000,"
        "   \"problems\": [], \"problems_truncated\": false, \"trace\": {}, \"explain\": \"\"}',"
        "   k.id, now() FROM k RETURNING id",
        number, class_id, state);
    char *id = th_sql(&pg, sql);
    ck_assert_msg(id && *id, "the claim was not inserted");
    return id;
}

/* The appraisal system's records of REVOKE-1 (status first) and REVOKE-2 (revoked) of id. */
static void records(char *out, size_t len, const char *id, const char *first)
{
    snprintf(out, len,
             "{\"source\":\"鉴定系统 撤销\",\"records\":["
             "{\"id_number\":\"%s\",\"kind\":\"qualification\",\"number\":\"REVOKE-1\","
             "\"level\":\"level4\",\"issue_date\":\"2026-06-30\",\"body_code\":\"%s\","
             "\"status\":\"%s\"},"
             "{\"id_number\":\"%s\",\"kind\":\"qualification\",\"number\":\"REVOKE-2\","
             "\"level\":\"level4\",\"issue_date\":\"2026-06-30\",\"body_code\":\"%s\","
             "\"status\":\"revoked\"}]}",
             id, body_ok, first, id, body_ok);
}

START_TEST(a_revoked_certificate_holds_its_unpaid_claims)
{
    char ids[3][19], sql[300], path[64], rec[900];
    long long id = new_class(ids, "res-revoke", false);
    char *held = claim_on(id, "REVOKE-1", "submitted");
    char *paid = claim_on(id, "REVOKE-2", "paid");
    records(rec, sizeof rec, ids[0], "valid");
    /* valid: nothing held; the paid claim's certificate revoked: a paid claim is never held */
    ok(th_write(&d, "POST", "/v1/admin/certificate-records", admin, "rev-1", rec));
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM claim WHERE payment_hold IS NOT NULL"), 0);
    /* revoked: the submitted claim is held, on its timeline */
    records(rec, sizeof rec, ids[0], "revoked");
    ok(th_write(&d, "POST", "/v1/admin/certificate-records", admin, "rev-2", rec));
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM claim WHERE id = %s AND payment_hold = 'certificate_revoked'",
             held);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM claim_event WHERE claim_id = %s AND action = 'payment_hold'",
             held);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM claim WHERE id = %s AND payment_hold IS NULL",
             paid);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    /* shown to the approver on the claim and in the queue */
    snprintf(path, sizeof path, "/v1/claims/%s", held);
    struct th_reply r = th_http(&d, "GET", path, approver, NULL, 0, NULL);
    ck_assert_msg(r.status == 200 &&
                      strcmp(json_string_value(json_object_get(r.json, "payment_hold")),
                             "certificate_revoked") == 0,
                  "%ld %s", r.status, r.body);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/review/claims", approver, NULL, 0, NULL);
    ck_assert_msg(r.status == 200 && strstr(r.body, "\"payment_hold\":\"certificate_revoked\""),
                  "%ld %s", r.status, r.body);
    th_reply_free(&r);
    /* a held claim cannot be paid */
    snprintf(sql, sizeof sql, "UPDATE claim SET state = 'paid' WHERE id = %s RETURNING id", held);
    PGconn *su = th_pg_super(&pg);
    PGresult *res = PQexec(su, sql);
    ck_assert_msg(PQresultStatus(res) == PGRES_FATAL_ERROR &&
                      strstr(PQresultErrorMessage(res), "claim_paid_never_held"),
                  "%s", PQresultErrorMessage(res));
    PQclear(res);
    PQfinish(su);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM claim WHERE id = %s AND state = 'submitted'",
             held);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    free(held);
    free(paid);
}
END_TEST

static bool body(const char *code, const char *status)
{
    char json[300], path[96], key[48];
    snprintf(json, sizeof json,
             "{\"name\":\"评价机构%s\",\"region\":\"330902\",\"kind\":\"appraisal_centre\","
             "\"status\":\"%s\"}",
             code + 12, status);
    snprintf(path, sizeof path, "/v1/admin/evaluation-bodies/%s", code);
    snprintf(key, sizeof key, "eb-%s", code);
    struct th_reply r = th_write(&d, "PUT", path, admin, key, json);
    bool done = r.status == 201;
    if (!done)
        fprintf(stderr, "evaluation body: %ld %s\n", r.status, r.body);
    th_reply_free(&r);
    return done;
}

static bool black_list(const char *code)
{
    char path[96];
    snprintf(path, sizeof path, "/v1/admin/evaluation-bodies/%s/list-entries", code);
    struct th_reply r = th_write(&d, "POST", path, admin, "eb-black",
                                 "{\"list\":\"black\",\"reason\":\"违规发证\","
                                 "\"valid_from\":\"2026-01-01\"}");
    bool done = r.status == 201;
    if (!done)
        fprintf(stderr, "list entry: %ld %s\n", r.status, r.body);
    th_reply_free(&r);
    return done;
}

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    char inst_code[19], other_code[19];
    th_credit_code(inst_code, "330900", 71);
    th_credit_code(other_code, "330900", 72);
    th_credit_code(body_ok, "330900", 81);
    th_credit_code(body_suspended, "330900", 82);
    th_credit_code(body_black, "330900", 83);
    th_token(&pg, "institution", inst_code, NULL, inst);
    th_token(&pg, "institution", other_code, NULL, other_inst);
    th_token(&pg, "approver", NULL, "330902", approver);
    th_token(&pg, "approver", NULL, "330200", far_approver);
    if (!th_institution(&d, admin, inst_code, "330902", "normal") ||
        !th_institution(&d, admin, other_code, "330902", "normal") ||
        !th_class_catalog(&d, admin, "zhoushan-2019", 2027, "6-18-02-05", "level4") ||
        !body(body_ok, "normal") || !body(body_suspended, "suspended") ||
        !body(body_black, "normal") || !black_list(body_black)) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("class_results");
    TCase *tc = tcase_create("class_results");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, results_are_recorded_with_a_receipt_and_the_class_is_assessed);
    tcase_add_test(tc, every_bad_row_is_named_and_nothing_is_written);
    tcase_add_test(tc, a_certificate_backing_a_live_claim_is_refused);
    tcase_add_test(tc, a_certificate_recorded_by_another_class_at_the_same_moment_is_refused);
    tcase_add_test(tc, results_of_a_suspended_or_listed_body_are_held);
    tcase_add_test(tc, results_as_csv_name_rows_by_number);
    tcase_add_test(tc, only_the_institution_records_results_of_a_completed_class);
    tcase_add_test(tc, an_approver_of_the_region_closes_an_assessed_class);
    tcase_add_test(tc, a_revoked_certificate_holds_its_unpaid_claims);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
