/* API tier: a class's life after filing (src/rules/domain/WORKFLOW.md "Class", issue 12):
 * accept and reject by an approver of the class's region or city, start and cancel by its
 * institution, each refused for the wrong role, region, state or date; replays byte for byte;
 * audit and timeline rows counted in SQL; places freed by a rejection or a cancellation. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], inst[64], other_inst[64], approver[64], city_approver[64], far_approver[64];
static unsigned serial = 100;
static char inst_code[19], other_code[19];

#define REJECT_BODY                                                                                \
    "{\"reason_codes\":[\"teachers_unqualified\"],\"reason\":\"教师无职业资格证书\"}"

/* File a class of the occupation starting 2027-03-01 with one trainee (its ID number in
 * trainee when not NULL, else a new one). */
static long long file_class(const char *occupation, char trainee[19], const char *key)
{
    char id[19], roster[120], body[1200];
    if (!trainee || !trainee[0])
        th_resident_id(id, "330902", 1990, serial++);
    else
        memcpy(id, trainee, 19);
    if (trainee && !trainee[0])
        memcpy(trainee, id, 19);
    snprintf(roster, sizeof roster, "[{\"id_number\":\"%s\",\"name\":\"李四\"}]", id);
    th_class_body(body, sizeof body, occupation, "2027-03-01", 30, roster);
    return th_class_file(&d, inst, key, body);
}

static struct th_reply step(long long id, const char *action, const char *token, const char *key,
                            const char *body)
{
    char path[96];
    snprintf(path, sizeof path, "/v1/classes/%lld/%s", id, action);
    return th_write(&d, "POST", path, token, key, body);
}

static long count_of(const char *fmt, long long id)
{
    char sql[256];
    snprintf(sql, sizeof sql, fmt, id);
    return th_count(&pg, sql);
}

/* The class's start date moved to today (Asia/Shanghai), as if the day had come. */
static void starts_today(long long id)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "UPDATE class SET start_date = (now() AT TIME ZONE 'Asia/Shanghai')::date"
             " WHERE id = %lld",
             id);
    free(th_sql(&pg, sql));
}

static void expect_problem(struct th_reply *r, long status, const char *code_name)
{
    ck_assert_msg(r->status == status, "%ld %s", r->status, r->body);
    if (code_name)
        ck_assert_msg(strstr(r->body, code_name), "%s", r->body);
    th_reply_free(r);
}

START_TEST(an_approver_accepts_once_and_replays_byte_for_byte)
{
    long long id = file_class("6-18-02-04", NULL, "life-accept");
    ck_assert(id);
    struct th_reply a = step(id, "accept", approver, "acc-1", "{\"reason\":\"材料齐全\"}");
    ck_assert_msg(a.status == 200, "%ld %s", a.status, a.body);
    ck_assert_str_eq(json_string_value(json_object_get(a.json, "state")), "accepted");
    ck_assert_str_eq(json_string_value(json_object_get(a.json, "deadline")), "2027-03-01");
    json_t *tl = json_object_get(a.json, "timeline");
    json_t *last = json_array_get(tl, json_array_size(tl) - 1);
    ck_assert_str_eq(json_string_value(json_object_get(last, "action")), "accept");
    ck_assert_str_eq(json_string_value(json_object_get(last, "actor_role")), "approver");
    ck_assert_str_eq(json_string_value(json_object_get(last, "reason")), "材料齐全");
    ck_assert_str_eq(json_string_value(json_object_get(last, "deadline")), "2027-03-01");
    struct th_reply b = step(id, "accept", approver, "acc-1", "{\"reason\":\"材料齐全\"}");
    ck_assert_int_eq(b.status, 200);
    ck_assert_str_eq(b.body, a.body);
    th_reply_free(&a);
    th_reply_free(&b);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_event WHERE class_id = %lld"
                              " AND action = 'accept' AND from_state = 'filed'"
                              " AND to_state = 'accepted' AND deadline = '2027-03-01'",
                              id),
                     1);
    ck_assert_int_eq(count_of("SELECT count(*) FROM audit WHERE action = 'class.accept'"
                              " AND object_id = '%lld'",
                              id),
                     1);
    /* accepted already: a new key is refused with the state */
    struct th_reply c = step(id, "accept", approver, "acc-2", "{}");
    ck_assert_msg(c.status == 409 && strstr(c.body, "class_state_conflict") &&
                      strstr(c.body, "\"state\":\"accepted\""),
                  "%ld %s", c.status, c.body);
    th_reply_free(&c);
    c = step(id, "reject", approver, "rej-after-accept", REJECT_BODY);
    expect_problem(&c, 409, "class_state_conflict");
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_event WHERE class_id = %lld", id), 3);
}
END_TEST

START_TEST(only_an_approver_of_the_region_decides)
{
    long long id = file_class("6-18-02-04", NULL, "life-who");
    ck_assert(id);
    struct th_reply r = step(id, "accept", inst, "who-inst", "{}");
    expect_problem(&r, 403, NULL); /* never the filing institution */
    r = step(id, "reject", inst, "who-inst-r", REJECT_BODY);
    expect_problem(&r, 403, NULL);
    r = step(id, "accept", far_approver, "who-far", "{}");
    expect_problem(&r, 404, NULL);
    r = step(id, "reject", far_approver, "who-far-r", REJECT_BODY);
    expect_problem(&r, 404, NULL);
    r = step(999999999LL, "accept", approver, "who-none", "{}");
    expect_problem(&r, 404, NULL);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class WHERE id = %lld AND state = 'filed'", id),
                     1);
    ck_assert_int_eq(count_of("SELECT count(*) FROM audit WHERE object_kind = 'class'"
                              " AND object_id = '%lld' AND action <> 'class.file'",
                              id),
                     0);
    /* an approver of the city decides too */
    r = step(id, "accept", city_approver, "who-city", "{}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
}
END_TEST

START_TEST(a_rejection_needs_reasons_and_frees_the_places)
{
    char trainee[19] = "";
    long long id = file_class("6-18-02-04", trainee, "life-rej");
    ck_assert(id);
    /* the person holds a place: another class of the same occupation and level is refused */
    ck_assert_int_eq(file_class("6-18-02-04", trainee, "life-rej-stuffed"), 0);
    const char *const need[] = {"reason_codes", "reason"};
    struct th_reply r = step(id, "reject", approver, "rej-empty", "{}");
    th_expect_fields(&r, 422, need, 2);
    const char *const bad[] = {"reason_codes[1]"};
    r = step(id, "reject", approver, "rej-bad",
             "{\"reason_codes\":[\"other\",\"too_ugly\"],\"reason\":\"说明\"}");
    th_expect_fields(&r, 422, bad, 1);
    r = step(id, "reject", approver, "rej-ok", REJECT_BODY);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "rejected");
    th_reply_free(&r);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_event WHERE class_id = %lld"
                              " AND action = 'reject' AND reason = '教师无职业资格证书'"
                              " AND detail->'reason_codes' = '[\"teachers_unqualified\"]'",
                              id),
                     1);
    ck_assert_int_eq(count_of("SELECT count(*) FROM audit WHERE action = 'class.reject'"
                              " AND object_id = '%lld'",
                              id),
                     1);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_roster_entry WHERE class_id = %lld"
                              " AND live",
                              id),
                     0);
    /* the place is free: the same person is filed in another class */
    ck_assert(file_class("6-18-02-04", trainee, "life-rej-again"));
    r = step(id, "accept", approver, "rej-then-accept", "{}");
    expect_problem(&r, 409, "class_state_conflict");
}
END_TEST

START_TEST(the_institution_starts_from_the_start_date_on)
{
    long long id = file_class("6-18-02-04", NULL, "life-start");
    ck_assert(id);
    struct th_reply r = step(id, "start", inst, "start-filed", "{}");
    expect_problem(&r, 409, "class_state_conflict"); /* not accepted yet */
    r = step(id, "accept", approver, "start-acc", "{}");
    th_reply_free(&r);
    r = step(id, "start", inst, "start-early", "{}");
    ck_assert_msg(r.status == 409 && strstr(r.body, "class_not_started") &&
                      strstr(r.body, "\"start_date\":\"2027-03-01\""),
                  "%ld %s", r.status, r.body);
    th_reply_free(&r);
    r = step(id, "start", approver, "start-approver", "{}");
    expect_problem(&r, 403, NULL);
    r = step(id, "start", other_inst, "start-other", "{}");
    expect_problem(&r, 404, NULL);
    starts_today(id);
    r = step(id, "start", inst, "start-ok", "{}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "running");
    struct th_reply again = step(id, "start", inst, "start-ok", "{}");
    ck_assert_str_eq(again.body, r.body);
    th_reply_free(&again);
    th_reply_free(&r);
    /* completion is due after the end date, on the calendar */
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_event WHERE class_id = %lld"
                              " AND action = 'start' AND to_state = 'running'"
                              " AND deadline > '2027-12-31'",
                              id),
                     1);
    ck_assert_int_eq(count_of("SELECT count(*) FROM audit WHERE action = 'class.start'"
                              " AND object_id = '%lld'",
                              id),
                     1);
    r = step(id, "cancel", inst, "start-cancel", "{}");
    expect_problem(&r, 409, "class_state_conflict"); /* running */
}
END_TEST

START_TEST(the_institution_cancels_before_the_start_and_frees_the_places)
{
    char trainee[19] = "";
    long long id = file_class("6-18-02-04", trainee, "life-cancel");
    ck_assert(id);
    struct th_reply r = step(id, "cancel", approver, "cancel-approver", "{}");
    expect_problem(&r, 403, NULL);
    r = step(id, "cancel", other_inst, "cancel-other", "{}");
    expect_problem(&r, 404, NULL);
    r = step(id, "cancel", inst, "cancel-ok", "{\"reason\":\"报名人数不足\"}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "cancelled");
    th_reply_free(&r);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_event WHERE class_id = %lld"
                              " AND action = 'cancel' AND reason = '报名人数不足'",
                              id),
                     1);
    ck_assert_int_eq(count_of("SELECT count(*) FROM audit WHERE action = 'class.cancel'"
                              " AND object_id = '%lld'",
                              id),
                     1);
    ck_assert(file_class("6-18-02-04", trainee, "life-cancel-again"));
    /* too late: an accepted class whose start date has come */
    long long late = file_class("6-18-02-04", NULL, "life-cancel-late");
    r = step(late, "accept", approver, "cancel-late-acc", "{}");
    th_reply_free(&r);
    starts_today(late);
    r = step(late, "cancel", inst, "cancel-late", "{}");
    ck_assert_msg(r.status == 409 && strstr(r.body, "class_already_started"), "%ld %s", r.status,
                  r.body);
    th_reply_free(&r);
    ck_assert_int_eq(
        count_of("SELECT count(*) FROM class WHERE id = %lld AND state = 'accepted'", late), 1);
}
END_TEST

/* A running class of three trainees (their ID numbers in ids). */
static long long running_class(char ids[3][19], const char *key)
{
    char roster[400], body[1600], k[64];
    for (int i = 0; i < 3; i++)
        th_resident_id(ids[i], "330902", 1991, serial++);
    snprintf(roster, sizeof roster,
             "[{\"id_number\":\"%s\",\"name\":\"甲\"},{\"id_number\":\"%s\",\"name\":\"乙\"},"
             "{\"id_number\":\"%s\",\"name\":\"丙\"}]",
             ids[0], ids[1], ids[2]);
    th_class_body(body, sizeof body, "6-18-02-05", "2027-03-01", 30, roster);
    long long id = th_class_file(&d, inst, key, body);
    snprintf(k, sizeof k, "%s-acc", key);
    struct th_reply r = step(id, "accept", approver, k, "{}");
    th_reply_free(&r);
    starts_today(id);
    snprintf(k, sizeof k, "%s-start", key);
    r = step(id, "start", inst, k, "{}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    return id;
}

START_TEST(completion_names_every_bad_row_and_writes_all_or_nothing)
{
    char ids[3][19], stranger[19], body[900];
    long long id = running_class(ids, "life-done");
    ck_assert(id);
    th_resident_id(stranger, "330902", 1993, serial++);
    /* 120 class hours: 96 (80 %) to pass; 乙 passes on 50, a stranger, 丙 left out */
    snprintf(body, sizeof body,
             "{\"trainees\":[{\"id_number\":\"%s\",\"attendance_hours\":120,\"passed\":true},"
             "{\"id_number\":\"%s\",\"attendance_hours\":50,\"passed\":true},"
             "{\"id_number\":\"%s\",\"attendance_hours\":100,\"passed\":true}]}",
             ids[0], ids[1], stranger);
    struct th_reply r = step(id, "completion", inst, "done-bad", body);
    ck_assert_msg(r.status == 422 && strstr(r.body, "completion_invalid") &&
                      json_array_size(json_object_get(r.json, "missing")) == 1 &&
                      json_integer_value(json_object_get(r.json, "required_hours")) == 96,
                  "%ld %s", r.status, r.body);
    const char *const rows[] = {"trainees[2].passed", "trainees[3].id_number", "trainees"};
    th_expect_fields(&r, 422, rows, 3);
    const char *sql = "SELECT count(*) FROM class_roster_entry WHERE class_id = %lld"
                      " AND attendance_hours IS NOT NULL";
    ck_assert_int_eq(count_of(sql, id), 0);
    ck_assert_int_eq(
        count_of("SELECT count(*) FROM class WHERE id = %lld AND state = 'running'", id), 1);
    /* the sheet: a bad number and a bad verdict, by row */
    char csv[400], path[96];
    snprintf(csv, sizeof csv, "身份证号,出勤课时,是否合格\n%s,abc,合格\n%s,100,也许\n%s,100,合格\n",
             ids[0], ids[1], ids[2]);
    snprintf(path, sizeof path, "/v1/classes/%lld/completion", id);
    r = th_post_csv(&d, path, inst, "done-csv-bad", csv);
    const char *const cells[] = {"trainees[1].attendance_hours", "trainees[2].passed"};
    th_expect_fields(&r, 422, cells, 2);
    /* the preview answers without writing */
    snprintf(csv, sizeof csv,
             "id_number,attendance_hours,passed\n%s,120,true\n%s,50,false\n"
             "%s,100,true\n",
             ids[0], ids[1], ids[2]);
    snprintf(path, sizeof path, "/v1/classes/%lld/completion?preview=true", id);
    r = th_post_csv(&d, path, inst, NULL, csv);
    ck_assert_msg(r.status == 200 && json_is_true(json_object_get(r.json, "dry_run")), "%ld %s",
                  r.status, r.body);
    th_reply_free(&r);
    ck_assert_int_eq(count_of(sql, id), 0);
    /* below the bar but failed is fine: written, the class completed */
    snprintf(path, sizeof path, "/v1/classes/%lld/completion", id);
    r = th_post_csv(&d, path, inst, "done-csv", csv);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "completed");
    struct th_reply again = th_post_csv(&d, path, inst, "done-csv", csv);
    ck_assert_str_eq(again.body, r.body);
    th_reply_free(&again);
    th_reply_free(&r);
    ck_assert_int_eq(count_of(sql, id), 3);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_roster_entry WHERE class_id = %lld"
                              " AND passed",
                              id),
                     2);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_event WHERE class_id = %lld"
                              " AND action = 'complete' AND to_state = 'completed'"
                              " AND detail = '{\"passed\": 2, \"failed\": 1}'",
                              id),
                     1);
    ck_assert_int_eq(count_of("SELECT count(*) FROM audit WHERE action = 'class.complete'"
                              " AND object_id = '%lld'",
                              id),
                     1);
    snprintf(path, sizeof path, "/v1/classes/%lld/roster", id);
    r = th_http(&d, "GET", path, approver, NULL, 0, NULL);
    json_t *second = json_array_get(json_object_get(r.json, "items"), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(second, "attendance_hours")), 50);
    ck_assert(json_is_false(json_object_get(second, "passed")));
    th_reply_free(&r);
    /* completed: no second report */
    r = th_post_csv(&d, "/v1/classes/0/completion", inst, "done-none", csv);
    expect_problem(&r, 404, NULL);
    snprintf(path, sizeof path, "/v1/classes/%lld/completion", id);
    r = th_post_csv(&d, path, inst, "done-twice", csv);
    expect_problem(&r, 409, "class_state_conflict");
    r = th_post_csv(&d, path, other_inst, "done-other", csv);
    expect_problem(&r, 404, NULL);
}
END_TEST

/* The separation of duties (PUT /v1/admin/accounts/{id}/interests): an approver of the region
 * whose account names the filing institution as their employer may neither accept nor reject its
 * class (403 review_own_interest), nothing written; a colleague decides it. */
START_TEST(an_approver_employed_by_the_institution_stands_aside)
{
    long long id = file_class("6-18-02-04", NULL, "life-duties");
    ck_assert(id);
    struct th_reply r = th_write(&d, "POST", "/v1/admin/accounts", admin, "duties-acct",
                                 "{\"name\":\"审核员钱某\",\"role\":\"approver\","
                                 "\"regions\":[\"330902\"]}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    long long account = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    char path[96], body[96], token[96];
    snprintf(path, sizeof path, "/v1/admin/accounts/%lld/interests", account);
    snprintf(body, sizeof body, "{\"employer\":\"%s\"}", inst_code);
    r = th_write(&d, "PUT", path, admin, "duties-interests", body);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    snprintf(path, sizeof path, "/v1/admin/accounts/%lld/tokens", account);
    r = th_write(&d, "POST", path, admin, "duties-token", "{}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    snprintf(token, sizeof token, "%s", json_string_value(json_object_get(r.json, "token")));
    th_reply_free(&r);
    r = step(id, "accept", token, "duties-accept", "{}");
    expect_problem(&r, 403, "review_own_interest");
    r = step(id, "reject", token, "duties-reject", REJECT_BODY);
    expect_problem(&r, 403, "review_own_interest");
    ck_assert_int_eq(count_of("SELECT count(*) FROM class WHERE id = %lld AND state = 'filed'", id),
                     1);
    /* another institution's class is theirs to decide */
    char trainee[19], roster[120], other_body[1200];
    th_resident_id(trainee, "330902", 1990, serial++);
    snprintf(roster, sizeof roster, "[{\"id_number\":\"%s\",\"name\":\"王五\"}]", trainee);
    th_class_body(other_body, sizeof other_body, "6-18-02-05", "2027-03-01", 30, roster);
    long long other = th_class_file(&d, other_inst, "duties-other", other_body);
    ck_assert(other);
    r = step(other, "accept", token, "duties-accept-other", "{}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    r = step(id, "accept", approver, "duties-colleague", "{}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_credit_code(inst_code, "330900", 51);
    th_credit_code(other_code, "330900", 52);
    th_token(&pg, "institution", inst_code, NULL, inst);
    th_token(&pg, "institution", other_code, NULL, other_inst);
    th_token(&pg, "approver", NULL, "330902", approver);
    th_token(&pg, "approver", NULL, "330900", city_approver);
    th_token(&pg, "approver", NULL, "330200", far_approver);
    if (!th_institution(&d, admin, inst_code, "330902", "normal") ||
        !th_institution(&d, admin, other_code, "330902", "normal") ||
        !th_class_catalog(&d, admin, "zhoushan-2019", 2027, "6-18-02-04,6-18-02-05", "level4")) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("class_life");
    TCase *tc = tcase_create("class_life");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, an_approver_accepts_once_and_replays_byte_for_byte);
    tcase_add_test(tc, only_an_approver_of_the_region_decides);
    tcase_add_test(tc, a_rejection_needs_reasons_and_frees_the_places);
    tcase_add_test(tc, the_institution_starts_from_the_start_date_on);
    tcase_add_test(tc, the_institution_cancels_before_the_start_and_frees_the_places);
    tcase_add_test(tc, completion_names_every_bad_row_and_writes_all_or_nothing);
    tcase_add_test(tc, an_approver_employed_by_the_institution_stands_aside);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
