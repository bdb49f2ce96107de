/* Completion (结业, class.h): the institution reports, for every trainee of a running class's
 * live roster, the hours attended and pass or fail.  Every row problem is named at once — a
 * trainee not on the roster, a pass below the attendance the class requires — and the
 * trainees left out are listed; nothing is written when anything is wrong.  When the class has
 * sign-ins (class_attendance.h), the hours they record are the attendance: a reported figure
 * that differs is a problem of its row, and the pass is judged on the recorded hours.  Then
 * the results go onto the roster entries and the class moves to completed
 * (sr_class_transition). */
#include "class.h"
#include "class_attendance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The hours the sign-ins record for entry: its counted hours in recorded ({"entry id": hours}),
 * or the reported hours when the class has no sign-ins (recorded NULL). */
static long long attended(json_t *recorded, json_t *entry, long long reported, bool *differs)
{
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)json_integer_value(entry));
    json_t *h = recorded ? json_object_get(recorded, key) : NULL;
    long long hours = recorded ? json_integer_value(h) : reported;
    *differs = hours != reported;
    return hours;
}

/* Match each row to a roster entry; problems to c->errors; *results [{entry, hours, passed}],
 * *missing the entries no row names; recorded as attended() reads it. */
static void match_rows(const struct flow_caller *c, const struct class_completion_in *in,
                       json_t *roster, json_t *recorded, long long need, json_t *results,
                       json_t *missing)
{
    size_t n = json_array_size(roster);
    bool *named = calloc(n ? n : 1, sizeof *named);
    for (size_t i = 0; i < in->n; i++) {
        const struct class_result *t = &in->rows[i];
        char hash[SD_PII_HASH_HEX], field[64];
        class_id_hash(c->pii, t->id_number, hash);
        size_t k = 0;
        while (k < n &&
               strcmp(json_string_value(json_object_get(json_array_get(roster, k), "id_hash")),
                      hash) != 0)
            k++;
        if (k == n) {
            snprintf(field, sizeof field, "trainees[%d].id_number", t->row);
            jerr_add(c->errors, field, SD_E_FIELD_REFERENCE, "不在本班花名册中",
                     "not on the class's roster");
            continue;
        }
        if (named)
            named[k] = true;
        json_t *entry = json_object_get(json_array_get(roster, k), "entry");
        bool differs;
        long long hours = attended(recorded, entry, t->hours, &differs);
        char zh[128], en[128];
        if (differs) {
            snprintf(field, sizeof field, "trainees[%d].attendance_hours", t->row);
            snprintf(zh, sizeof zh, "签到记录的出勤为 %lld 课时", hours);
            snprintf(en, sizeof en, "the sign-ins record %lld hours", hours);
            jerr_add(c->errors, field, SD_E_ATTENDANCE_NOT_AS_RECORDED, zh, en);
        }
        if (t->passed && hours < need) {
            snprintf(field, sizeof field, "trainees[%d].passed", t->row);
            snprintf(zh, sizeof zh, "出勤 %lld 课时，低于结业要求的 %lld 课时，不能合格", hours,
                     need);
            snprintf(en, sizeof en, "%lld hours attended, below the %lld required to pass", hours,
                     need);
            jerr_add(c->errors, field, SD_E_FIELD_CONFLICT, zh, en);
        }
        json_array_append_new(results, json_pack("{s:O, s:I, s:b}", "entry", entry, "hours",
                                                 (json_int_t)hours, "passed", t->passed));
    }
    for (size_t k = 0; k < n; k++)
        if (!named || !named[k]) {
            json_t *e = json_array_get(roster, k);
            json_array_append_new(missing, json_pack("{s:O, s:O, s:O}", "row",
                                                     json_object_get(e, "row"), "id_number_masked",
                                                     json_object_get(e, "id_number_masked"), "name",
                                                     json_object_get(e, "name")));
        }
    free(named);
}

/* The counted hours of each entry by the class's sign-ins ({"entry id": hours}), or NULL when
 * the class has none (*rc DB_OK) or on a database failure. */
static json_t *recorded_hours(struct db_conn *db, long long id, enum db_rc *rc)
{
    json_t *items = NULL, *out = NULL;
    long signins = 0;
    int percent = 0;
    *rc = db_class_attendance(db, id, &items, &signins, &percent);
    if (*rc == DB_OK && signins > 0) {
        out = json_object();
        size_t i;
        json_t *e;
        json_array_foreach(items, i, e)
        {
            char key[24];
            snprintf(key, sizeof key, "%lld",
                     (long long)json_integer_value(json_object_get(e, "entry")));
            json_object_set_new(
                out, key,
                json_integer(class_counted_hours(
                    json_integer_value(json_object_get(e, "in_person_hours")),
                    json_integer_value(json_object_get(e, "online_hours")), percent)));
        }
    }
    json_decref(items);
    return out;
}

/* Check the rows against the class; DB_OK with results when all is well. */
static enum db_rc check(const struct flow_caller *c, struct db_conn *db, long long id,
                        const struct class_completion_in *in, int class_hours, json_t **results,
                        struct flow_result *res)
{
    json_t *roster = NULL;
    enum db_rc rc = db_class_roster_keys(db, id, &roster);
    json_t *recorded = rc == DB_OK ? recorded_hours(db, id, &rc) : NULL;
    if (rc != DB_OK) {
        json_decref(roster);
        return flow_db(res, rc);
    }
    long long need = class_required_hours(class_hours, in->attendance_percent);
    json_t *missing = json_array();
    *results = json_array();
    for (size_t i = 0; i < in->n; i++)
        if (in->rows[i].hours > class_hours) {
            char field[64];
            snprintf(field, sizeof field, "trainees[%d].attendance_hours", in->rows[i].row);
            jerr_add(c->errors, field, SD_E_FIELD_RANGE, "超过本班课时",
                     "more than the class hours");
        }
    match_rows(c, in, roster, recorded, need, *results, missing);
    json_decref(roster);
    bool by_signins = recorded != NULL;
    json_decref(recorded);
    if (json_array_size(missing) > 0)
        jerr_add(c->errors, "trainees", SD_E_FIELD_REQUIRED, "花名册中有学员未报结业情况",
                 "some trainees of the roster are missing");
    if (jerr_count(c->errors) == 0) {
        json_decref(missing);
        return DB_OK;
    }
    json_decref(*results);
    *results = NULL;
    return flow_invalid(res, SD_E_COMPLETION_INVALID,
                        json_pack("{s:o, s:I, s:I, s:s}", "missing", missing, "required_hours",
                                  (json_int_t)need, "class_hours", (json_int_t)class_hours,
                                  "attendance_source", by_signins ? "signins" : "reported"));
}

enum db_rc flow_class_completion(const struct flow_caller *c, struct db_conn *db,
                                 const struct flow_args *args, struct flow_result *res)
{
    long long id = args->id;
    const struct class_completion_in *in = args->in.completion;
    struct db_class_locked k;
    enum sr_class_state to;
    enum db_rc rc = class_step_lock(c, db, id, SR_CLASS_COMPLETE, &k, &to, res);
    json_t *results = NULL;
    if (rc == DB_OK)
        rc = check(c, db, id, in, k.class_hours, &results, res);
    if (rc != DB_OK)
        return rc;
    size_t passed = 0, i;
    json_t *r;
    json_array_foreach(results, i, r) passed += json_is_true(json_object_get(r, "passed"));
    char *text = json_dumps(results, JSON_COMPACT);
    size_t total = json_array_size(results);
    json_decref(results);
    rc = text ? db_class_completion_write(db, id, text) : DB_HARD;
    free(text);
    if (rc != DB_OK)
        return flow_db(res, rc);
    char detail[96];
    snprintf(detail, sizeof detail, "{\"passed\": %zu, \"failed\": %zu}", passed, total - passed);
    const struct class_step_in step = {.action = SR_CLASS_COMPLETE};
    return class_step_write(c, db, id, &step, &k, to, detail, res);
}
