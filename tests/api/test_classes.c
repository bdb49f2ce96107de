/* API tier: class filing (开班备案, issue 12) — a class filed with its roster (timeline, audit
 * row, sealed and masked trainees, its acceptance receipt as JSON and as a printable page),
 * every bad field in one reply, the refusals (suspended or black-listed institution, not in
 * the catalog in force, filed later than the lead time, over capacity, roster stuffing), 16
 * parallel filings of one person give one class, idempotent replays, and who sees a class. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], inst[64], other_inst[64], suspended[64], black[64], unregistered[64],
    approver[64], far_approver[64], applicant[64];
static char inst_code[19], other_code[19], suspended_code[19], black_code[19], id1[19], id2[19],
    id3[19];

#define OCC       "6-18-02-04"
#define OCC_RACE  "6-18-02-09"
#define START     "2027-03-01"
#define WORKER_ID "330902199001011238"

static char *roster2(char *out, size_t len, const char *a, const char *b)
{
    snprintf(out, len,
             "[{\"id_number\":\"%s\",\"name\":\"张三\"},{\"id_number\":\"%s\",\"name\":\"李四\"}]",
             a, b);
    return out;
}

static const char *name_of(const struct th_reply *r)
{
    return json_string_value(json_object_get(r->json, "name")) ?: "";
}

START_TEST(file_read_replay_receipt)
{
    char roster[300], body[1200];
    th_class_body(body, sizeof body, OCC, START, 30, roster2(roster, sizeof roster, id1, id2));
    long persons = th_count(&pg, "SELECT count(*) FROM person");
    struct th_reply r = th_write(&d, "POST", "/v1/classes", inst, "cls-1", body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    long long id = json_integer_value(json_object_get(r.json, "id"));
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "filed");
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "institution")), inst_code);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "roster_count")), 2);
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_object_get(r.json, "roster_counts"), "added")), 2);
    /* the acceptance's deadline: 5 working days (--class-accept-days) after the filing day */
    char wd[96];
    snprintf(wd, sizeof wd, "/v1/working-days?from=%s&add=5",
             json_string_value(json_object_get(r.json, "filed_on")));
    struct th_reply w = th_http(&d, "GET", wd, inst, NULL, 0, NULL);
    ck_assert_int_eq(w.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "deadline")),
                     json_string_value(json_object_get(w.json, "date")));
    th_reply_free(&w);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "timeline")), 2);
    ck_assert_ptr_null(strstr(r.body, id1));
    char *first = strdup(r.body);
    th_reply_free(&r);
    /* replay: the same reply byte for byte, one class */
    r = th_write(&d, "POST", "/v1/classes", inst, "cls-1", body);
    ck_assert_int_eq(r.status, 201);
    ck_assert_str_eq(r.body, first);
    ck_assert_str_eq(th_header(&r, "idempotent-replayed"), "true");
    th_reply_free(&r);
    free(first);
    /* the same key with another body */
    th_class_body(body, sizeof body, OCC, START, 31, roster2(roster, sizeof roster, id1, id2));
    r = th_write(&d, "POST", "/v1/classes", inst, "cls-1", body);
    ck_assert_int_eq(r.status, 422);
    ck_assert_str_eq(name_of(&r), "idempotency_key_reused");
    th_reply_free(&r);
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM class WHERE id = %lld", id);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM class"), 1);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit WHERE action = 'class.file' AND object_id = '%lld'"
             " AND after->>'state' = 'filed'",
             id);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM person"), persons + 2);
    /* sealed, never in clear; not in the log */
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM person WHERE position('330902' IN"
                                   " encode(id_sealed, 'escape')) > 0"),
                     0);
    ck_assert(!th_log_contains(&d, id1));
    /* no ID number in clear in the class's rows */
    ck_assert_int_eq(th_count(&pg, "SELECT (SELECT count(*) FROM class k"
                                   "         WHERE row_to_json(k)::text LIKE '%3309021990%')"
                                   " + (SELECT count(*) FROM class_roster_entry r"
                                   "     WHERE row_to_json(r)::text LIKE '%3309021990%')"
                                   " + (SELECT count(*) FROM class_event e"
                                   "     WHERE row_to_json(e)::text LIKE '%3309021990%')"),
                     0);

    char path[96];
    snprintf(path, sizeof path, "/v1/classes/%lld", id);
    r = th_http(&d, "GET", path, inst, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(r.json, "timeline"), 0), "action")),
                     "file");
    th_reply_free(&r);
    r = th_http(&d, "GET", path, approver, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    th_reply_free(&r);
    const char *strangers[] = {other_inst, far_approver};
    for (size_t i = 0; i < 2; i++) {
        r = th_http(&d, "GET", path, strangers[i], NULL, 0, NULL);
        ck_assert_int_eq(r.status, 404);
        th_reply_free(&r);
    }

    snprintf(path, sizeof path, "/v1/classes/%lld/roster", id);
    r = th_http(&d, "GET", path, inst, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    json_t *items = json_object_get(r.json, "items");
    ck_assert_int_eq(json_array_size(items), 2);
    json_t *p0 = json_object_get(json_array_get(items, 0), "person");
    ck_assert_str_eq(json_string_value(json_object_get(p0, "name")), "张*");
    char masked[19];
    snprintf(masked, sizeof masked, "%.6s********%.4s", id1, id1 + 14);
    ck_assert_str_eq(json_string_value(json_object_get(p0, "id_number_masked")), masked);
    ck_assert_ptr_null(strstr(r.body, id1));
    ck_assert_ptr_null(strstr(r.body, "张三"));
    th_reply_free(&r);

    snprintf(path, sizeof path, "/v1/classes/%lld/receipt", id);
    r = th_http(&d, "GET", path, inst, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    const char *no = json_string_value(json_object_get(r.json, "receipt_no"));
    ck_assert_ptr_nonnull(no);
    ck_assert_int_eq(strncmp(no, "BA", 2), 0);
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_object_get(r.json, "received"), "roster_entries")),
        2);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "next_step")), "accept");
    char *receipt_no = strdup(no);
    th_reply_free(&r);
    const char *html[] = {"Accept: text/html", NULL};
    r = th_http(&d, "GET", path, inst, NULL, 0, html);
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_nonnull(strstr(th_header(&r, "content-type"), "text/html"));
    ck_assert_ptr_nonnull(strstr(r.body, receipt_no));
    ck_assert_ptr_nonnull(strstr(r.body, "&lt;&amp;&gt;")); /* the institution's name, escaped */
    ck_assert_ptr_null(strstr(r.body, "<&>"));
    ck_assert_ptr_null(strstr(r.body, "http"));
    th_reply_free(&r);
    free(receipt_no);
    r = th_http(&d, "GET", path, far_approver, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);

    /* the list: the institution's own, the approver's regions */
    r = th_http(&d, "GET", "/v1/classes?state=filed&policy=zhoushan-2019&year=2027", inst, NULL, 0,
                NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    th_reply_free(&r);
    const char *none[] = {other_inst, far_approver};
    for (size_t i = 0; i < 2; i++) {
        r = th_http(&d, "GET", "/v1/classes", none[i], NULL, 0, NULL);
        ck_assert_int_eq(r.status, 200);
        ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 0);
        th_reply_free(&r);
    }
    r = th_http(&d, "GET", "/v1/classes?year=2026", inst, NULL, 0, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 0);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/classes", applicant, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 403);
    th_reply_free(&r);
    /* cleaned up for the other tests: the trainees' places are free again */
    free(th_sql(&pg, "UPDATE class SET state = 'cancelled'"));
}
END_TEST

START_TEST(every_bad_field_in_one_reply)
{
    char roster[400];
    snprintf(roster, sizeof roster,
             "[{\"id_number\":\"330902199001011230\",\"name\":\"张三\"},"
             "{\"id_number\":\"%s\",\"name\":\"\"},{\"id_number\":\"%s\",\"name\":\"王五\"}]",
             id1, id1);
    char body[1200];
    snprintf(body, sizeof body,
             "{\"policy\":\"nowhere-2019\",\"kind\":\"cooking\",\"occupation\":\"6-18\","
             "\"level\":\"level9\",\"region\":\"999999\",\"start_date\":\"2027-02-30\","
             "\"end_date\":\"2027-01-01\",\"class_hours\":0,\"place\":\"\",\"teachers\":[],"
             "\"capacity\":5000,\"payee\":\"nobody\",\"roster\":%s}",
             roster);
    long before = th_count(&pg, "SELECT count(*) FROM class");
    struct th_reply r = th_write(&d, "POST", "/v1/classes", inst, "cls-bad", body);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert_str_eq(name_of(&r), "validation_failed");
    const char *fields[] = {"policy",
                            "kind",
                            "occupation",
                            "level",
                            "start_date",
                            "class_hours",
                            "place",
                            "teachers",
                            "capacity",
                            "payee",
                            "roster[1].id_number",
                            "roster[2].name",
                            "roster[3].id_number"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        ck_assert_msg(th_problem_has_field(&r, fields[i]), "%s not named: %s", fields[i], r.body);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "bad_rows")), 3);
    th_reply_free(&r);
    /* the region is checked against the database when the rest is well-formed */
    th_class_body(body, sizeof body, OCC, START, 30, "[]");
    char *at = strstr(body, "330902");
    memcpy(at, "999999", 6);
    r = th_write(&d, "POST", "/v1/classes", inst, "cls-bad-region", body);
    ck_assert_int_eq(r.status, 422);
    ck_assert(th_problem_has_field(&r, "region"));
    th_reply_free(&r);
    /* a field nobody may set */
    th_class_body(body, sizeof body, OCC, START, 30, "[]");
    memcpy(strrchr(body, '}'), ",\"state\":\"accepted\"}", 21);
    r = th_write(&d, "POST", "/v1/classes", inst, "cls-mass", body);
    ck_assert_int_eq(r.status, 400);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM class"), before);
}
END_TEST

START_TEST(refusals)
{
    char body[1200], roster[300];
    roster2(roster, sizeof roster, id2, id3);
    th_class_body(body, sizeof body, OCC, START, 30, roster);
    long before = th_count(&pg, "SELECT count(*) FROM class");
    long people = th_count(&pg, "SELECT count(*) FROM person");
    struct th_reply r = th_write(&d, "POST", "/v1/classes", suspended, "cls-s", body);
    ck_assert_msg(r.status == 403, "%ld %s", r.status, r.body);
    ck_assert_str_eq(name_of(&r), "institution_suspended");
    th_reply_free(&r);
    r = th_write(&d, "POST", "/v1/classes", black, "cls-b", body);
    ck_assert_msg(r.status == 403, "%ld %s", r.status, r.body);
    ck_assert_str_eq(name_of(&r), "institution_black_listed");
    json_t *entry = json_object_get(r.json, "list_entry");
    ck_assert_str_eq(json_string_value(json_object_get(entry, "reason")), "虚报培训人数");
    th_reply_free(&r);
    r = th_write(&d, "POST", "/v1/classes", unregistered, "cls-u", body);
    ck_assert_int_eq(r.status, 409);
    ck_assert_str_eq(name_of(&r), "institution_not_registered");
    th_reply_free(&r);
    /* not in the catalog in force */
    th_class_body(body, sizeof body, "6-18-02-05", START, 30, roster);
    r = th_write(&d, "POST", "/v1/classes", inst, "cls-cat", body);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert_str_eq(name_of(&r), "class_not_in_catalog");
    th_reply_free(&r);
    /* over capacity */
    th_class_body(body, sizeof body, OCC, START, 1, roster);
    r = th_write(&d, "POST", "/v1/classes", inst, "cls-cap", body);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert_str_eq(name_of(&r), "class_capacity_exceeded");
    th_reply_free(&r);
    /* filed later than the lead time: 10 working days for the policy, the class in 3 days */
    const char *policy_lead[] = {"class-lead", "set", "--policy", "zhoushan-2019",
                                 "--days",     "10",  NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, policy_lead, NULL), 0);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'class_lead.set'"
                                   " AND after->>'days' = '10' AND before IS NULL"),
                     1);
    char *soon = th_sql(&pg, "SELECT ((now() AT TIME ZONE 'Asia/Shanghai')::date + 3)::text");
    th_class_body(body, sizeof body, OCC, soon, 30, roster);
    r = th_write(&d, "POST", "/v1/classes", inst, "cls-late", body);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert_str_eq(name_of(&r), "class_filed_too_late");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "lead_working_days")), 10);
    const char *last = json_string_value(json_object_get(r.json, "last_filing_date"));
    ck_assert_ptr_nonnull(last);
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM generate_series('%s'::date + 1, '%s'::date, '1 day') g"
             " WHERE extract(isodow FROM g) < 6",
             last, soon);
    ck_assert_int_ge(th_count(&pg, sql), 10); /* weekends only: this year is not loaded */
    th_reply_free(&r);
    /* the city's row counts for its districts too, and the larger of the rows applies */
    const char *policy_none[] = {"class-lead", "set", "--policy", "zhoushan-2019",
                                 "--days",     "0",   NULL};
    const char *city_lead[] = {"class-lead", "set", "--region", "330900", "--days", "10", NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, policy_none, NULL), 0);
    ck_assert_int_eq(th_subsidyctl(&pg, city_lead, NULL), 0);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM class_filing_lead"), 2);
    const char *no_target[] = {"class-lead", "set", "--days", "5", NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, no_target, NULL), 2);
    th_class_body(body, sizeof body, OCC, soon, 30, "[]");
    r = th_write(&d, "POST", "/v1/classes", inst, "cls-city", body);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "lead_working_days")), 10);
    th_reply_free(&r);
    free(th_sql(&pg, "UPDATE class_filing_lead SET days = 0"));
    r = th_write(&d, "POST", "/v1/classes", inst, "cls-soon", body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    free(th_sql(&pg, "DELETE FROM class_filing_lead"));
    free(soon);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM class"), before + 1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM person"), people);
    free(th_sql(&pg, "UPDATE class SET state = 'cancelled'"));
}
END_TEST

START_TEST(roster_stuffing_refused)
{
    char body[1200], roster[300];
    th_class_body(body, sizeof body, OCC, START, 30, roster2(roster, sizeof roster, id1, id2));
    long long first = th_class_file(&d, inst, "stuff-1", body);
    ck_assert(first > 0);
    /* another institution's class of the same occupation and level, with id2 in row 2 */
    th_class_body(body, sizeof body, OCC, START, 30, roster2(roster, sizeof roster, id3, id2));
    struct th_reply r = th_write(&d, "POST", "/v1/classes", other_inst, "stuff-2", body);
    ck_assert_msg(r.status == 409, "%ld %s", r.status, r.body);
    ck_assert_str_eq(name_of(&r), "roster_stuffing");
    json_t *c = json_object_get(r.json, "conflicts");
    ck_assert_int_eq(json_array_size(c), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(c, 0), "row")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(c, 0), "class_id")), first);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(c, 0), "name")), "李*");
    ck_assert_ptr_null(strstr(r.body, id2));
    th_reply_free(&r);
    /* once the first class is cancelled, the places are free */
    free(th_sql(&pg, "UPDATE class SET state = 'cancelled'"));
    r = th_write(&d, "POST", "/v1/classes", other_inst, "stuff-3", body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    free(th_sql(&pg, "UPDATE class SET state = 'cancelled'"));
}
END_TEST

START_TEST(parallel_filings_of_one_person)
{
    /* 16 institutions' filings name the same person at once: exactly one class has them */
    static struct th_shot shots[16];
    char person[19];
    th_resident_id(person, "330902", 1995, 4242);
    char roster[120];
    snprintf(roster, sizeof roster, "[{\"id_number\":\"%s\",\"name\":\"赵六\"}]", person);
    for (int i = 0; i < 16; i++) {
        shots[i] = (struct th_shot){.daemon = &d, .method = "POST", .path = "/v1/classes"};
        shots[i].token = i % 2 ? inst : other_inst;
        static char keys[16][32];
        snprintf(keys[i], sizeof keys[i], "race-%d", i);
        shots[i].key = keys[i];
        th_class_body(shots[i].body, sizeof shots[i].body, OCC_RACE, START, 30, roster);
    }
    th_write_all(shots, 16);
    int created = 0, refused = 0;
    for (int i = 0; i < 16; i++) {
        if (shots[i].reply.status == 201)
            created++;
        else if (shots[i].reply.status == 409 &&
                 strcmp(name_of(&shots[i].reply), "roster_stuffing") == 0)
            refused++;
        else
            fprintf(stderr, "race: %ld %s\n", shots[i].reply.status, shots[i].reply.body);
        th_reply_free(&shots[i].reply);
    }
    ck_assert_int_eq(created, 1);
    ck_assert_int_eq(refused, 15);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM class_roster_entry r"
                                   " JOIN class k ON k.id = r.class_id"
                                   " WHERE k.occupation = '" OCC_RACE "' AND r.live"),
                     1);
    free(th_sql(&pg, "UPDATE class SET state = 'cancelled'"));
}
END_TEST

START_TEST(roster_as_csv_text_and_pages)
{
    char body[1600], csv[300], roster[400];
    snprintf(csv, sizeof csv, "id_number,name\\n%s,张三\\n%s,\\\"王,五\\\"\\n", id1, id2);
    th_class_body(body, sizeof body, OCC, START, 30, "[]");
    snprintf(roster, sizeof roster, "\"roster_csv\":\"%s\"}", csv);
    memcpy(strstr(body, "\"roster\":[]}"), roster, strlen(roster) + 1);
    struct th_reply r = th_write(&d, "POST", "/v1/classes", inst, "cls-csv", body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "roster_count")), 2);
    th_reply_free(&r);
    /* a bad row alone: roster_invalid, the row named */
    snprintf(csv, sizeof csv, "id_number,name\\n%s,\\n", id3);
    th_class_body(body, sizeof body, OCC, START, 30, "[]");
    snprintf(roster, sizeof roster, "\"roster_csv\":\"%s\"}", csv);
    memcpy(strstr(body, "\"roster\":[]}"), roster, strlen(roster) + 1);
    r = th_write(&d, "POST", "/v1/classes", inst, "cls-csv-bad", body);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert_str_eq(name_of(&r), "roster_invalid");
    ck_assert(th_problem_has_field(&r, "roster[1].name"));
    th_reply_free(&r);
    /* a second class, then pages of one: newest first, the approver of the city sees both */
    th_class_body(body, sizeof body, OCC_RACE, START, 30, "[]");
    ck_assert(th_class_file(&d, inst, "cls-page", body) > 0);
    r = th_http(&d, "GET", "/v1/classes?limit=1&state=filed", approver, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    long long newest = json_integer_value(
        json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "id"));
    long long after = json_integer_value(json_object_get(r.json, "next_after"));
    ck_assert_int_eq(after, newest);
    th_reply_free(&r);
    char path[96];
    snprintf(path, sizeof path, "/v1/classes?limit=1&state=filed&after=%lld", after);
    r = th_http(&d, "GET", path, approver, NULL, 0, NULL);
    json_t *items = json_object_get(r.json, "items");
    ck_assert_int_eq(json_array_size(items), 1);
    ck_assert_int_lt(json_integer_value(json_object_get(json_array_get(items, 0), "id")), newest);
    ck_assert(json_is_null(json_object_get(r.json, "next_after")));
    th_reply_free(&r);
    free(th_sql(&pg, "UPDATE class SET state = 'cancelled'"));
}
END_TEST

START_TEST(preview_writes_nothing)
{
    char body[1200], roster[300];
    th_class_body(body, sizeof body, OCC, START, 30, roster2(roster, sizeof roster, id1, id3));
    long classes = th_count(&pg, "SELECT count(*) FROM class"),
         entries = th_count(&pg, "SELECT count(*) FROM class_roster_entry"),
         events = th_count(&pg, "SELECT count(*) FROM class_event"),
         audit = th_count(&pg, "SELECT count(*) FROM audit"),
         people = th_count(&pg, "SELECT count(*) FROM person");
    struct th_reply r = th_write(&d, "POST", "/v1/classes?preview=true", inst, "cls-pv", body);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert(json_is_true(json_object_get(r.json, "dry_run")));
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "roster_count")), 2);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM class"), classes);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM class_roster_entry"), entries);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM class_event"), events);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit"), audit);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM person"), people);
    /* the key was not used: the filing itself goes through under it */
    r = th_write(&d, "POST", "/v1/classes", inst, "cls-pv", body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    free(th_sql(&pg, "UPDATE class SET state = 'cancelled'"));
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_credit_code(inst_code, "330900", 1);
    th_credit_code(other_code, "330900", 2);
    th_credit_code(suspended_code, "330900", 3);
    th_credit_code(black_code, "330900", 4);
    char nobody[19];
    th_credit_code(nobody, "330900", 5);
    th_token(&pg, "institution", inst_code, NULL, inst);
    th_token(&pg, "institution", other_code, NULL, other_inst);
    th_token(&pg, "institution", suspended_code, NULL, suspended);
    th_token(&pg, "institution", black_code, NULL, black);
    th_token(&pg, "institution", nobody, NULL, unregistered);
    th_token(&pg, "approver", NULL, "330900", approver);
    th_token(&pg, "approver", NULL, "330200", far_approver);
    th_token(&pg, "applicant", WORKER_ID, NULL, applicant);
    th_resident_id(id1, "330902", 1990, 11);
    th_resident_id(id2, "330902", 1991, 12);
    th_resident_id(id3, "330902", 1992, 13);
    bool ok = th_institution(&d, admin, inst_code, "330902", "normal") &&
              th_institution(&d, admin, other_code, "330902", "normal") &&
              th_institution(&d, admin, suspended_code, "330902", "suspended") &&
              th_institution(&d, admin, black_code, "330902", "normal") &&
              th_class_catalog(&d, admin, "zhoushan-2019", 2027, OCC "," OCC_RACE, "level4") &&
              th_class_catalog(&d, admin, "zhoushan-2019", 2026, OCC "," OCC_RACE, "level4");
    char path[96];
    snprintf(path, sizeof path, "/v1/admin/institutions/%s/list-entries", black_code);
    struct th_reply r = th_write(&d, "POST", path, admin, "black-1",
                                 "{\"list\":\"black\",\"reason\":\"虚报培训人数\","
                                 "\"valid_from\":\"2024-01-01\"}");
    ok = ok && r.status == 201;
    th_reply_free(&r);
    if (!ok) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("classes");
    TCase *tc = tcase_create("classes");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, file_read_replay_receipt);
    tcase_add_test(tc, every_bad_field_in_one_reply);
    tcase_add_test(tc, refusals);
    tcase_add_test(tc, roster_stuffing_refused);
    tcase_add_test(tc, parallel_filings_of_one_person);
    tcase_add_test(tc, roster_as_csv_text_and_pages);
    tcase_add_test(tc, preview_writes_nothing);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
