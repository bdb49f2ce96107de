/* API tier: rosters (issue 12) — PUT /v1/classes/{id}/roster as CSV (BOM, Chinese headers) or
 * JSON: every bad row and field named by row number, duplicates inside the upload and against
 * other live classes, nothing written when anything is wrong (rows counted in SQL), previews
 * that write nothing, a roster replaced (added, removed, kept) on the timeline and audited,
 * replays and key reuse of CSV bodies, no change once the class has started, and another
 * institution's class not found. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], inst[64], other_inst[64], approver[64];
static char inst_code[19], other_code[19], id1[19], id2[19], id3[19], id4[19];

#define OCC   "6-18-02-04"
#define START "2027-03-01"

static const char *name_of(const struct th_reply *r)
{
    return json_string_value(json_object_get(r->json, "name")) ?: "";
}

static struct th_reply put_csv(long long id, const char *token, const char *key, const char *csv,
                               bool preview)
{
    char path[96], hkey[160];
    snprintf(path, sizeof path, "/v1/classes/%lld/roster%s", id, preview ? "?preview=true" : "");
    snprintf(hkey, sizeof hkey, "Idempotency-Key: %s", key);
    const char *h[] = {"Content-Type: text/csv; charset=utf-8", hkey, NULL};
    return th_http(&d, "PUT", path, token, csv, -1, h);
}

static long long new_class(const char *key, const char *roster)
{
    char body[1200];
    th_class_body(body, sizeof body, OCC, START, 30, roster);
    return th_class_file(&d, inst, key, body);
}

/* Rows of the roster tables, the persons and the audit log: what a refused upload must leave. */
static long rows_now(void)
{
    return th_count(&pg, "SELECT (SELECT count(*) FROM class_roster_entry)"
                         " + (SELECT count(*) FROM class_event) + (SELECT count(*) FROM person)"
                         " + (SELECT count(*) FROM audit)");
}

START_TEST(csv_mixed_rows_nothing_written)
{
    long long id = new_class("r-mixed", "[]");
    ck_assert(id > 0);
    char bad_id[19];
    snprintf(bad_id, sizeof bad_id, "%.17s%c", id1, id1[17] == '0' ? '1' : '0');
    char csv[800];
    snprintf(
        csv, sizeof csv,
        "\xEF\xBB\xBFid_number,name\r\n%s,张三\r\n%s,李四\r\n%s,\r\n%s,\"王,五\"\r\n%s,赵六\r\n",
        id1, bad_id, id2, id1, id3);
    long before = rows_now();
    struct th_reply r = put_csv(id, inst, "csv-1", csv, false);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert_str_eq(name_of(&r), "roster_invalid");
    ck_assert(th_problem_has_field(&r, "roster[2].id_number"));
    ck_assert(th_problem_has_field(&r, "roster[3].name"));
    ck_assert(th_problem_has_field(&r, "roster[4].id_number")); /* the same person as row 1 */
    ck_assert(!th_problem_has_field(&r, "roster[1].id_number"));
    ck_assert(!th_problem_has_field(&r, "roster[5].id_number"));
    json_t *bad = json_object_get(r.json, "bad_rows");
    ck_assert_int_eq(json_array_size(bad), 3);
    ck_assert_int_eq(json_integer_value(json_array_get(bad, 0)), 2);
    ck_assert_ptr_null(strstr(r.body, id1));
    th_reply_free(&r);
    ck_assert_int_eq(rows_now(), before);
    /* the corrected sheet, with the Chinese headers a spreadsheet has, under the same key (a
     * refused request does not use it) */
    snprintf(csv, sizeof csv, "\xEF\xBB\xBF身份证号,姓名\n%s,张三\n%s,\"王,五\"\n", id1, id2);
    r = put_csv(id, inst, "csv-1", csv, false);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "added")), 2);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "roster")), 2);
    char *first = strdup(r.body);
    th_reply_free(&r);
    /* a replay of the sheet: the same reply; another sheet under the key: refused */
    r = put_csv(id, inst, "csv-1", csv, false);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.body, first);
    th_reply_free(&r);
    free(first);
    char other[300];
    snprintf(other, sizeof other, "id_number,name\n%s,张三\n", id1);
    r = put_csv(id, inst, "csv-1", other, false);
    ck_assert_int_eq(r.status, 422);
    ck_assert_str_eq(name_of(&r), "idempotency_key_reused");
    th_reply_free(&r);
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM class_event WHERE class_id = %lld AND action = 'roster'"
             " AND detail->>'added' = '2'",
             id);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit WHERE action = 'class.roster' AND object_id = '%lld'", id);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    free(th_sql(&pg, "UPDATE class SET state = 'cancelled'"));
}
END_TEST

START_TEST(json_replace_add_remove_keep)
{
    char roster[300];
    snprintf(roster, sizeof roster,
             "[{\"id_number\":\"%s\",\"name\":\"张三\"},{\"id_number\":\"%s\",\"name\":\"李四\"}]",
             id1, id2);
    long long id = new_class("r-json", roster);
    ck_assert(id > 0);
    char path[96], body[300];
    snprintf(path, sizeof path, "/v1/classes/%lld/roster", id);
    snprintf(body, sizeof body,
             "{\"roster\":[{\"id_number\":\"%s\",\"name\":\"李四\"},"
             "{\"id_number\":\"%s\",\"name\":\"孙七\"}]}",
             id2, id3);
    struct th_reply r = th_write(&d, "PUT", path, inst, "json-1", body);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "added")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "removed")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "kept")), 1);
    th_reply_free(&r);
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM class_roster_entry WHERE class_id = %lld"
             " AND removed_at IS NOT NULL",
             id);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    r = th_http(&d, "GET", path, approver, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    json_t *items = json_object_get(r.json, "items");
    ck_assert_int_eq(json_array_size(items), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(items, 0), "row")), 1);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(json_array_get(items, 1), "person"), "name")),
                     "孙*");
    th_reply_free(&r);
    /* bad JSON rows are named the same way */
    snprintf(body, sizeof body,
             "{\"roster\":[{\"id_number\":\"%s\",\"name\":\"李四\",\"phone\":\"1\"},"
             "{\"id_number\":\"%s\"}]}",
             id2, id3);
    r = th_write(&d, "PUT", path, inst, "json-2", body);
    ck_assert_int_eq(r.status, 400); /* an unknown field: mass assignment */
    ck_assert(th_problem_has_field(&r, "roster[1].phone"));
    ck_assert(th_problem_has_field(&r, "roster[2].name"));
    th_reply_free(&r);
    /* another institution's class is not found, an approver may not write */
    r = th_write(&d, "PUT", path, other_inst, "json-3", "{\"roster\":[]}");
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    r = th_write(&d, "PUT", path, approver, "json-4", "{\"roster\":[]}");
    ck_assert_int_eq(r.status, 403);
    th_reply_free(&r);
    free(th_sql(&pg, "UPDATE class SET state = 'cancelled'"));
}
END_TEST

START_TEST(preview_and_duplicates_against_the_database)
{
    char roster[300];
    snprintf(roster, sizeof roster, "[{\"id_number\":\"%s\",\"name\":\"周八\"}]", id4);
    char body[1200];
    th_class_body(body, sizeof body, OCC, START, 30, roster);
    long long theirs = th_class_file(&d, other_inst, "r-theirs", body);
    long long id = new_class("r-prev", "[]");
    ck_assert(theirs > 0 && id > 0);
    char csv[300];
    snprintf(csv, sizeof csv, "id_number,name\n%s,张三\n%s,周八\n", id1, id4);
    long before = rows_now();
    struct th_reply r = put_csv(id, inst, "prev-1", csv, true);
    ck_assert_msg(r.status == 409, "%ld %s", r.status, r.body);
    ck_assert_str_eq(name_of(&r), "roster_stuffing");
    json_t *c = json_array_get(json_object_get(r.json, "conflicts"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(c, "row")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(c, "class_id")), theirs);
    th_reply_free(&r);
    snprintf(csv, sizeof csv, "id_number,name\n%s,张三\n", id1);
    r = put_csv(id, inst, "prev-2", csv, true);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert(json_is_true(json_object_get(r.json, "dry_run")));
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "added")), 1);
    th_reply_free(&r);
    ck_assert_int_eq(rows_now(), before);
    /* the preview did not use the key */
    r = put_csv(id, inst, "prev-2", csv, false);
    ck_assert_int_eq(r.status, 200);
    ck_assert(!json_object_get(r.json, "dry_run"));
    th_reply_free(&r);
    free(th_sql(&pg, "UPDATE class SET state = 'cancelled'"));
}
END_TEST

START_TEST(no_change_once_started)
{
    long long id = new_class("r-started", "[]");
    ck_assert(id > 0);
    char sql[200], csv[200];
    snprintf(sql, sizeof sql,
             "UPDATE class SET start_date = (now() AT TIME ZONE 'Asia/Shanghai')::date"
             " WHERE id = %lld",
             id);
    free(th_sql(&pg, sql));
    snprintf(csv, sizeof csv, "id_number,name\n%s,张三\n", id1);
    struct th_reply r = put_csv(id, inst, "started-1", csv, false);
    ck_assert_msg(r.status == 409, "%ld %s", r.status, r.body);
    ck_assert_str_eq(name_of(&r), "roster_not_editable");
    th_reply_free(&r);
    snprintf(sql, sizeof sql,
             "UPDATE class SET start_date = '" START "', state = 'running'"
             " WHERE id = %lld",
             id);
    free(th_sql(&pg, sql));
    r = put_csv(id, inst, "started-2", csv, false);
    ck_assert_int_eq(r.status, 409);
    th_reply_free(&r);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM class_roster_entry WHERE class_id = %lld", id);
    ck_assert_int_eq(th_count(&pg, sql), 0);
    free(th_sql(&pg, "UPDATE class SET state = 'cancelled'"));
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_credit_code(inst_code, "330900", 21);
    th_credit_code(other_code, "330900", 22);
    th_token(&pg, "institution", inst_code, NULL, inst);
    th_token(&pg, "institution", other_code, NULL, other_inst);
    th_token(&pg, "approver", NULL, "330900", approver);
    th_resident_id(id1, "330902", 1990, 31);
    th_resident_id(id2, "330902", 1991, 32);
    th_resident_id(id3, "330902", 1992, 33);
    th_resident_id(id4, "330902", 1993, 34);
    bool ok = th_institution(&d, admin, inst_code, "330902", "normal") &&
              th_institution(&d, admin, other_code, "330902", "normal") &&
              th_class_catalog(&d, admin, "zhoushan-2019", 2027, OCC, "level4");
    if (!ok) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("rosters");
    TCase *tc = tcase_create("rosters");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, csv_mixed_rows_nothing_written);
    tcase_add_test(tc, json_replace_add_remove_keep);
    tcase_add_test(tc, preview_and_duplicates_against_the_database);
    tcase_add_test(tc, no_change_once_started);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
