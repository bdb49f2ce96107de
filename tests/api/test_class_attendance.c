/* API tier: attendance and process checks of a running class (issue 12 "Attendance and process
 * checks"): sessions (overlaps refused, only while running, only by the class's institution),
 * sign-ins as JSON and CSV (every bad row named, nothing written, replays byte for byte), the
 * attendance the sign-ins give with online hours at the policy's ratio (Yancheng 四(二)4, set
 * with subsidyctl class-online-ratio set), completion judged on the recorded hours (a
 * contradicting report named by row), and approvers' inspections (another region: 404). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], inst[64], other_inst[64], approver[64], far_approver[64];
static char today[16];
static unsigned serial = 300;

static struct th_reply post(long long id, const char *what, const char *token, const char *key,
                            const char *body)
{
    char path[256];
    snprintf(path, sizeof path, "/v1/classes/%lld/%s", id, what);
    return th_write(&d, "POST", path, token, key, body);
}

static struct th_reply get(long long id, const char *what, const char *token)
{
    char path[256];
    snprintf(path, sizeof path, "/v1/classes/%lld/%s", id, what);
    return th_http(&d, "GET", path, token, NULL, 0, NULL);
}

static long count_of(const char *fmt, long long id)
{
    char sql[320];
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

/* A class of three trainees (ids) with class_hours hours, filed, accepted and (when run)
 * started today. */
static long long new_class(char ids[3][19], const char *key, int class_hours, bool run)
{
    char roster[400], body[1600], k[64], hours[32];
    for (int i = 0; i < 3; i++)
        th_resident_id(ids[i], "330902", 1992, serial++);
    snprintf(roster, sizeof roster,
             "[{\"id_number\":\"%s\",\"name\":\"甲\"},{\"id_number\":\"%s\",\"name\":\"乙\"},"
             "{\"id_number\":\"%s\",\"name\":\"丙\"}]",
             ids[0], ids[1], ids[2]);
    th_class_body(body, sizeof body, "6-18-02-05", "2027-03-01", 30, roster);
    snprintf(hours, sizeof hours, "\"class_hours\":%d", class_hours);
    char *at = strstr(body, "\"class_hours\":120");
    ck_assert(at);
    memmove(at + strlen(hours), at + strlen("\"class_hours\":120"),
            strlen(at + strlen("\"class_hours\":120")) + 1);
    memcpy(at, hours, strlen(hours));
    long long id = th_class_file(&d, inst, key, body);
    ck_assert(id);
    snprintf(k, sizeof k, "%s-acc", key);
    struct th_reply r = post(id, "accept", approver, k, "{}");
    th_reply_free(&r);
    if (!run)
        return id;
    char sql[160];
    snprintf(sql, sizeof sql,
             "UPDATE class SET start_date = (now() AT TIME ZONE 'Asia/Shanghai')::date"
             " WHERE id = %lld",
             id);
    free(th_sql(&pg, sql));
    snprintf(k, sizeof k, "%s-start", key);
    r = post(id, "start", inst, k, "{}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    return id;
}

/* A session today from..to; its id (0 when refused). */
static long long session(long long id, const char *key, const char *from, const char *to,
                         const char *mode, int hours)
{
    char body[256];
    snprintf(body, sizeof body,
             "{\"date\":\"%s\",\"start_time\":\"%s\",\"end_time\":\"%s\",\"mode\":\"%s\","
             "\"hours\":%d}",
             today, from, to, mode, hours);
    struct th_reply r = post(id, "sessions", inst, key, body);
    long long sid = r.status == 201 ? json_integer_value(json_object_get(r.json, "id")) : 0;
    if (!sid)
        fprintf(stderr, "session: %ld %s\n", r.status, r.body);
    th_reply_free(&r);
    return sid;
}

static struct th_reply signins_csv(long long id, long long sid, const char *key, const char *csv)
{
    char path[128];
    snprintf(path, sizeof path, "/v1/classes/%lld/sessions/%lld/signins", id, sid);
    return th_post_csv(&d, path, inst, key, csv);
}

START_TEST(sessions_are_recorded_once_and_never_overlap)
{
    char ids[3][19], body[256];
    long long id = new_class(ids, "att-sess", 120, true);
    snprintf(body, sizeof body,
             "{\"date\":\"%s\",\"start_time\":\"08:30\",\"end_time\":\"11:30\","
             "\"mode\":\"in_person\",\"hours\":4,\"topic\":\"安全操作\"}",
             today);
    struct th_reply a = post(id, "sessions", inst, "sess-1", body);
    ck_assert_msg(a.status == 201, "%ld %s", a.status, a.body);
    ck_assert_str_eq(json_string_value(json_object_get(a.json, "start_time")), "08:30");
    ck_assert_str_eq(json_string_value(json_object_get(a.json, "mode")), "in_person");
    ck_assert_int_eq(json_integer_value(json_object_get(a.json, "signins")), 0);
    long long first = json_integer_value(json_object_get(a.json, "id"));
    struct th_reply b = post(id, "sessions", inst, "sess-1", body);
    ck_assert_int_eq(b.status, 201);
    ck_assert_str_eq(b.body, a.body);
    th_reply_free(&a);
    th_reply_free(&b);
    /* overlapping by a minute: refused, naming the session */
    snprintf(body, sizeof body,
             "{\"date\":\"%s\",\"start_time\":\"11:29\",\"end_time\":\"12:00\","
             "\"mode\":\"online\",\"hours\":1}",
             today);
    struct th_reply r = post(id, "sessions", inst, "sess-clash", body);
    ck_assert_msg(
        r.status == 409 && strstr(r.body, "class_session_overlap") &&
            json_integer_value(json_object_get(json_object_get(r.json, "overlaps"), "id")) == first,
        "%ld %s", r.status, r.body);
    th_reply_free(&r);
    /* touching is not overlapping */
    ck_assert(session(id, "sess-2", "11:30", "12:00", "online", 1));
    /* bad fields, all at once */
    r = post(id, "sessions", inst, "sess-bad",
             "{\"date\":\"2027-02-30\",\"start_time\":\"25:00\",\"end_time\":\"08:00\","
             "\"mode\":\"tv\",\"hours\":0}");
    const char *const bad[] = {"date", "start_time", "mode", "hours"};
    th_expect_fields(&r, 422, bad, 4);
    snprintf(body, sizeof body,
             "{\"date\":\"%s\",\"start_time\":\"14:00\",\"end_time\":\"13:00\","
             "\"mode\":\"online\",\"hours\":1}",
             today);
    r = post(id, "sessions", inst, "sess-back", body);
    const char *const back[] = {"end_time"};
    th_expect_fields(&r, 422, back, 1);
    r = post(id, "sessions", inst, "sess-after",
             "{\"date\":\"2028-01-05\",\"start_time\":\"08:00\",\"end_time\":\"09:00\","
             "\"mode\":\"online\",\"hours\":1}");
    const char *const after[] = {"date"};
    th_expect_fields(&r, 422, after, 1);
    /* who: the approver may not, another institution is told it does not exist */
    snprintf(body, sizeof body,
             "{\"date\":\"%s\",\"start_time\":\"15:00\",\"end_time\":\"16:00\","
             "\"mode\":\"online\",\"hours\":1}",
             today);
    r = post(id, "sessions", approver, "sess-appr", body);
    expect_problem(&r, 403, NULL);
    r = post(id, "sessions", other_inst, "sess-other", body);
    expect_problem(&r, 404, NULL);
    /* not running: an accepted class has no sessions yet */
    char later[3][19];
    long long waiting = new_class(later, "att-wait", 120, false);
    r = post(waiting, "sessions", inst, "sess-wait", body);
    ck_assert_msg(r.status == 409 && strstr(r.body, "class_state_conflict"), "%ld %s", r.status,
                  r.body);
    th_reply_free(&r);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_session WHERE class_id = %lld", id), 2);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_event WHERE class_id = %lld"
                              " AND action = 'session' AND to_state = 'running'",
                              id),
                     2);
    ck_assert_int_eq(count_of("SELECT count(*) FROM audit WHERE action = 'class.session'"
                              " AND object_id = '%lld'",
                              id),
                     2);
    r = get(id, "sessions", approver);
    ck_assert_msg(r.status == 200 && json_array_size(json_object_get(r.json, "items")) == 2,
                  "%ld %s", r.status, r.body);
    th_reply_free(&r);
    r = get(id, "sessions", far_approver);
    expect_problem(&r, 404, NULL);
}
END_TEST

START_TEST(signins_name_every_bad_row_and_write_all_or_nothing)
{
    char ids[3][19], stranger[19], csv[1400];
    long long id = new_class(ids, "att-sign", 120, true);
    long long sid = session(id, "sign-s1", "09:00", "12:00", "in_person", 4);
    long long online = session(id, "sign-s2", "13:00", "15:00", "online", 2);
    ck_assert(sid && online);
    th_resident_id(stranger, "330902", 1993, serial++);
    /* row 1 good; 2 a stranger; 3 after the end; 4 the online platform in person; 5 row 1
     * again; 6 a method nobody knows and no evidence */
    snprintf(csv, sizeof csv,
             "身份证号,签到时间,签到方式,证据编号\n"
             "%s,08:58,face_check,FC-1\n%s,09:01,card,C-2\n%s,%s 12:01,face_check,FC-3\n"
             "%s,09:10,online_platform,OP-4\n%s,09:20,card,C-5\n%s,09:30,telepathy,\n",
             ids[0], stranger, ids[1], today, ids[2], ids[0], ids[1]);
    struct th_reply r = signins_csv(id, sid, "sign-bad", csv);
    ck_assert_msg(r.status == 422 && strstr(r.body, "signins_invalid"), "%ld %s", r.status, r.body);
    const char *const rows[] = {"signins[1].time",      "signins[3].time",   "signins[4].method",
                                "signins[5].id_number", "signins[6].method", "signins[6].evidence"};
    th_expect_fields(&r, 422, rows, 6);
    /* the stranger is named only once the sheet is otherwise right (the database's check) */
    snprintf(csv, sizeof csv, "id_number,time,method,evidence\n%s,09:05,card,C-1\n", stranger);
    r = signins_csv(id, sid, "sign-stranger", csv);
    const char *const who[] = {"signins[1].id_number"};
    th_expect_fields(&r, 422, who, 1);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_signin g JOIN class_session s"
                              " ON s.id = g.session_id WHERE s.class_id = %lld",
                              id),
                     0);
    /* the preview answers without writing */
    snprintf(csv, sizeof csv,
             "id_number,time,method,evidence\n%s,09:00,face_check,FC-1\n"
             "%s,%sT10:15:30,video,VID-20270301-7\n",
             ids[0], ids[1], today);
    char path[128];
    snprintf(path, sizeof path, "/v1/classes/%lld/sessions/%lld/signins?preview=true", id, sid);
    r = th_post_csv(&d, path, inst, NULL, csv);
    ck_assert_msg(r.status == 200 && json_is_true(json_object_get(r.json, "dry_run")), "%ld %s",
                  r.status, r.body);
    th_reply_free(&r);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_signin WHERE session_id = %lld", sid), 0);
    struct th_reply a = signins_csv(id, sid, "sign-ok", csv);
    ck_assert_msg(a.status == 201 && json_integer_value(json_object_get(a.json, "recorded")) == 2,
                  "%ld %s", a.status, a.body);
    struct th_reply b = signins_csv(id, sid, "sign-ok", csv);
    ck_assert_str_eq(b.body, a.body);
    th_reply_free(&a);
    th_reply_free(&b);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_signin WHERE session_id = %lld"
                              " AND evidence = 'VID-20270301-7' AND method = 'video'"
                              " AND signed_at = '10:15:30'",
                              sid),
                     1);
    /* once per session: a new key for the same person names the row */
    snprintf(csv, sizeof csv, "id_number,time,method,evidence\n%s,11:00,card,C-9\n", ids[0]);
    r = signins_csv(id, sid, "sign-again", csv);
    th_expect_fields(&r, 422, who, 1);
    /* JSON, on the online session */
    char body[400];
    snprintf(body, sizeof body,
             "{\"signins\":[{\"id_number\":\"%s\",\"time\":\"13:02\",\"method\":"
             "\"online_platform\",\"evidence\":\"OP-LOG-1\"}]}",
             ids[0]);
    snprintf(path, sizeof path, "sessions/%lld/signins", online);
    r = post(id, path, inst, "sign-json", body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    /* another class's session, another institution: 404 */
    char others[3][19];
    long long other = new_class(others, "att-sign-other", 120, true);
    snprintf(path, sizeof path, "sessions/%lld/signins", sid);
    r = post(other, path, inst, "sign-wrong-class", body);
    expect_problem(&r, 404, NULL);
    snprintf(path, sizeof path, "sessions/%lld/signins", online);
    r = post(id, path, other_inst, "sign-other-inst", body);
    expect_problem(&r, 404, NULL);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_event WHERE class_id = %lld"
                              " AND action = 'signin'",
                              id),
                     2);
    ck_assert_int_eq(count_of("SELECT count(*) FROM audit WHERE action = 'class.signin'"
                              " AND object_id = '%lld'",
                              id),
                     2);
    r = get(id, "sessions", inst);
    json_t *first = json_array_get(json_object_get(r.json, "items"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(first, "signins")), 2);
    th_reply_free(&r);
}
END_TEST

START_TEST(online_hours_count_at_the_policys_ratio)
{
    char ids[3][19], csv[400], path[64];
    long long id = new_class(ids, "att-ratio", 120, true);
    long long room = session(id, "ratio-s1", "08:00", "11:00", "in_person", 3);
    long long net = session(id, "ratio-s2", "19:00", "23:00", "online", 5);
    ck_assert(room && net);
    snprintf(csv, sizeof csv, "id_number,time,method,evidence\n%s,08:00,face_check,F-1\n", ids[0]);
    struct th_reply r = signins_csv(id, room, "ratio-in", csv);
    th_reply_free(&r);
    snprintf(csv, sizeof csv,
             "id_number,time,method,evidence\n%s,19:00,online_platform,P-1\n"
             "%s,19:30,online_platform,P-2\n",
             ids[0], ids[1]);
    r = signins_csv(id, net, "ratio-net", csv);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    /* no ratio set: online hours do not count */
    r = get(id, "attendance", inst);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "online_percent")), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "required_hours")), 96);
    json_t *first = json_array_get(json_object_get(r.json, "items"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(first, "in_person_hours")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(first, "online_hours")), 5);
    ck_assert_int_eq(json_integer_value(json_object_get(first, "counted_hours")), 3);
    ck_assert_ptr_null(strstr(r.body, ids[0])); /* masked */
    th_reply_free(&r);
    /* the department sets 50 %: 3 + 5 × 50 % = 5 (rounded down), the second trainee 2 */
    const char *set[] = {"class-online-ratio", "set", "--policy", "zhoushan-2019",
                         "--percent",          "50",  NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, set, NULL), 0);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit"
                                   " WHERE action = 'class_online_ratio.set'"
                                   " AND after->>'percent' = '50' AND before IS NULL"),
                     1);
    const char *too_much[] = {"class-online-ratio", "set", "--policy", "zhoushan-2019",
                              "--percent",          "101", NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, too_much, NULL), 2);
    r = get(id, "attendance", approver);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "online_percent")), 50);
    json_t *items = json_object_get(r.json, "items");
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(items, 0), "counted_hours")),
                     5);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(items, 1), "counted_hours")),
                     2);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(items, 2), "counted_hours")),
                     0);
    th_reply_free(&r);
    snprintf(path, sizeof path, "attendance");
    r = get(id, path, far_approver);
    expect_problem(&r, 404, NULL);
    r = get(id, path, other_inst);
    expect_problem(&r, 404, NULL);
    free(th_sql(&pg, "DELETE FROM class_online_ratio"));
}
END_TEST

START_TEST(completion_takes_the_recorded_hours_over_the_reported)
{
    /* 10 class hours: 8 to pass.  甲 signs in to 6 in person and 4 online (at 50 %: 8); 乙 to
     * the 6 in person only; 丙 to nothing */
    char ids[3][19], csv[600], body[900], path[64];
    long long id = new_class(ids, "att-done", 10, true);
    long long room = session(id, "done-s1", "08:00", "14:00", "in_person", 6);
    long long net = session(id, "done-s2", "19:00", "23:00", "online", 4);
    ck_assert(room && net);
    snprintf(csv, sizeof csv,
             "id_number,time,method,evidence\n%s,08:00,face_check,F-1\n%s,08:05,card,C-2\n", ids[0],
             ids[1]);
    struct th_reply r = signins_csv(id, room, "done-in", csv);
    th_reply_free(&r);
    snprintf(csv, sizeof csv, "id_number,time,method,evidence\n%s,19:00,online_platform,P-1\n",
             ids[0]);
    r = signins_csv(id, net, "done-net", csv);
    th_reply_free(&r);
    const char *set[] = {"class-online-ratio", "set", "--policy", "zhoushan-2019",
                         "--percent",          "50",  NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, set, NULL), 0);
    /* 乙 reported at 9 hours and passed: the records say 6 — two problems of row 2; 丙
     * reported at 0 and failed: as recorded */
    snprintf(body, sizeof body,
             "{\"trainees\":[{\"id_number\":\"%s\",\"attendance_hours\":8,\"passed\":true},"
             "{\"id_number\":\"%s\",\"attendance_hours\":9,\"passed\":true},"
             "{\"id_number\":\"%s\",\"attendance_hours\":0,\"passed\":false}]}",
             ids[0], ids[1], ids[2]);
    r = post(id, "completion", inst, "done-contra", body);
    ck_assert_msg(r.status == 422 && strstr(r.body, "attendance_not_as_recorded") &&
                      strstr(r.body, "\"attendance_source\":\"signins\""),
                  "%ld %s", r.status, r.body);
    const char *const rows[] = {"trainees[2].attendance_hours", "trainees[2].passed"};
    th_expect_fields(&r, 422, rows, 2);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_roster_entry WHERE class_id = %lld"
                              " AND attendance_hours IS NOT NULL",
                              id),
                     0);
    /* reported as recorded, 乙 failed: written with the recorded hours */
    snprintf(body, sizeof body,
             "{\"trainees\":[{\"id_number\":\"%s\",\"attendance_hours\":8,\"passed\":true},"
             "{\"id_number\":\"%s\",\"attendance_hours\":6,\"passed\":false},"
             "{\"id_number\":\"%s\",\"attendance_hours\":0,\"passed\":false}]}",
             ids[0], ids[1], ids[2]);
    r = post(id, "completion", inst, "done-ok", body);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    ck_assert_int_eq(count_of("SELECT count(*) FROM class_roster_entry WHERE class_id = %lld"
                              " AND passed AND attendance_hours = 8",
                              id),
                     1);
    /* completed: no more sessions */
    snprintf(path, sizeof path, "sessions");
    snprintf(body, sizeof body,
             "{\"date\":\"%s\",\"start_time\":\"06:00\",\"end_time\":\"07:00\","
             "\"mode\":\"online\",\"hours\":1}",
             today);
    r = post(id, path, inst, "done-late-session", body);
    expect_problem(&r, 409, "class_state_conflict");
    free(th_sql(&pg, "DELETE FROM class_online_ratio"));
}
END_TEST

START_TEST(approvers_of_the_region_record_inspections)
{
    char ids[3][19], body[400];
    long long id = new_class(ids, "att-insp", 120, true);
    snprintf(body, sizeof body,
             "{\"date\":\"%s\",\"findings\":\"实到 2 人，花名册 3 人；\\n视频记录完整\","
             "\"result\":\"problems_found\",\"evidence\":\"JC-2027-001\"}",
             today);
    struct th_reply a = post(id, "inspections", approver, "insp-1", body);
    ck_assert_msg(a.status == 201, "%ld %s", a.status, a.body);
    ck_assert_str_eq(json_string_value(json_object_get(a.json, "result")), "problems_found");
    struct th_reply b = post(id, "inspections", approver, "insp-1", body);
    ck_assert_str_eq(b.body, a.body);
    th_reply_free(&a);
    th_reply_free(&b);
    struct th_reply r = post(id, "inspections", far_approver, "insp-far", body);
    expect_problem(&r, 404, NULL);
    r = post(id, "inspections", inst, "insp-inst", body);
    expect_problem(&r, 403, NULL);
    r = post(id, "inspections", approver, "insp-bad",
             "{\"date\":\"2020-01-01\",\"findings\":\"x\",\"result\":\"fine\"}");
    const char *const bad[] = {"result"};
    th_expect_fields(&r, 422, bad, 1);
    r = post(id, "inspections", approver, "insp-early",
             "{\"date\":\"2020-01-01\",\"findings\":\"x\",\"result\":\"ok\"}");
    const char *const early[] = {"date"};
    th_expect_fields(&r, 422, early, 1);
    char waiting_ids[3][19];
    long long waiting = new_class(waiting_ids, "att-insp-wait", 120, false);
    r = post(waiting, "inspections", approver, "insp-wait", body);
    expect_problem(&r, 409, "class_state_conflict");
    r = get(id, "inspections", inst);
    ck_assert_msg(r.status == 200 && json_array_size(json_object_get(r.json, "items")) == 1,
                  "%ld %s", r.status, r.body);
    th_reply_free(&r);
    r = get(id, "inspections", other_inst);
    expect_problem(&r, 404, NULL);
    char path[64];
    snprintf(path, sizeof path, "/v1/classes/%lld", id);
    r = th_http(&d, "GET", path, inst, NULL, 0, NULL);
    json_t *tl = json_object_get(r.json, "timeline");
    json_t *last = json_array_get(tl, json_array_size(tl) - 1);
    ck_assert_str_eq(json_string_value(json_object_get(last, "action")), "inspection");
    ck_assert_str_eq(json_string_value(json_object_get(last, "actor_role")), "approver");
    th_reply_free(&r);
    ck_assert_int_eq(count_of("SELECT count(*) FROM audit WHERE action = 'class.inspection'"
                              " AND object_id = '%lld'",
                              id),
                     1);
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    char inst_code[19], other_code[19];
    th_credit_code(inst_code, "330900", 61);
    th_credit_code(other_code, "330900", 62);
    th_token(&pg, "institution", inst_code, NULL, inst);
    th_token(&pg, "institution", other_code, NULL, other_inst);
    th_token(&pg, "approver", NULL, "330902", approver);
    th_token(&pg, "approver", NULL, "330200", far_approver);
    char *t = th_sql(&pg, "SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date::text");
    snprintf(today, sizeof today, "%s", t ? t : "");
    free(t);
    if (!th_institution(&d, admin, inst_code, "330902", "normal") ||
        !th_institution(&d, admin, other_code, "330902", "normal") ||
        !th_class_catalog(&d, admin, "zhoushan-2019", 2027, "6-18-02-05", "level4")) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("class_attendance");
    TCase *tc = tcase_create("class_attendance");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, sessions_are_recorded_once_and_never_overlap);
    tcase_add_test(tc, signins_name_every_bad_row_and_write_all_or_nothing);
    tcase_add_test(tc, online_hours_count_at_the_policys_ratio);
    tcase_add_test(tc, completion_takes_the_recorded_hours_over_the_reported);
    tcase_add_test(tc, approvers_of_the_region_record_inspections);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
