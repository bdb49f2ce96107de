/* POST /v1/classes/{id}/sessions/{sid}/signins: the class's institution records the trainees'
 * sign-ins to a session as JSON ({"signins": [{id_number, time, method, evidence}]}) or as the
 * sheet of a face-check or card system (text/csv, header id_number,time,method,evidence or
 * 身份证号,签到时间,签到方式,证据编号).  time is HH:MM[:SS], optionally after the date; method
 * face_check, card, video or online_platform; evidence the record's reference (a face-check or
 * video record id).  Every bad row by number — not on the live roster, signed in already,
 * outside the session's time — and nothing written when anything is wrong (422
 * signins_invalid); ?preview=true answers the same without writing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "class_attendance_http.h"
#include "csv.h"

#define ROWS_MAX 1000 /* the largest capacity of a class (sql/0021_classes.sql) */

struct signins {
    struct flow_caller caller;
    long long id, sid;
    struct class_signins_in in;
    char (*dates)[11];
};

static const char *id_at(const void *rows, int j)
{
    return ((const struct class_signin *)rows)[j].id_number;
}

static void check_row(struct req *r, json_t *row, int n, struct signins *x)
{
    struct class_signin *t = &x->in.rows[n - 1];
    const char *time = NULL;
    char prefix[32], field[64];
    snprintf(prefix, sizeof prefix, "signins[%d]", n);
    const struct jfield spec[] = {
        class_id_number_field(&t->id_number),
        {.name = "time",
         .kind = JF_STRING,
         .required = true,
         .min = 5,
         .max = 19,
         .format = &class_signin_time_format,
         .out = &time},
        {.name = "method",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 32,
         .one_of = sr_signin_method_values,
         .out = &t->method},
        {.name = "evidence",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 100,
         .out = &t->evidence},
    };
    t->row = n;
    jspec_object(&r->errors, prefix, row, spec, sizeof spec / sizeof spec[0]);
    snprintf(field, sizeof field, "%s.id_number", prefix);
    class_id_number_check(r, field, t->id_number, x->caller.today);
    if (time && !jerr_has_within(&r->errors, field)) {
        class_signin_time_split(time, x->dates[n - 1], t->time);
        t->date = x->dates[n - 1][0] ? x->dates[n - 1] : NULL;
    }
    class_same_person_check(r, field, t->id_number, n - 1, id_at, x->in.rows);
    t->bad = jerr_has_within(&r->errors, prefix);
}

/* Are all problems so far of single rows (so that the use case may name the others)? */
static bool only_row_problems(const struct req *r)
{
    size_t i;
    json_t *e;
    json_array_foreach(r->errors.list, i, e)
    {
        const char *f = json_string_value(json_object_get(e, "field"));
        if (!f || strncmp(f, "signins[", 8) != 0)
            return false;
    }
    return true;
}

/* A CSV row's Chinese headers as the JSON names. */
static void csv_names(json_t *row)
{
    static const char *const names[][2] = {{"身份证号", "id_number"}, {"身份证号码", "id_number"},
                                           {"签到时间", "time"},      {"签到方式", "method"},
                                           {"证据编号", "evidence"},  {"记录编号", "evidence"}};
    class_csv_rename(row, names, sizeof names / sizeof names[0]);
}

static bool check_rows(struct req *r, json_t *rows, struct signins *x)
{
    size_t n = json_array_size(rows);
    if (n > ROWS_MAX) {
        req_field_error(r, "signins", SD_E_FIELD_LENGTH, "至多 1000 行", "at most 1000 rows");
        return true;
    }
    x->in.rows = calloc(n ? n : 1, sizeof *x->in.rows);
    x->dates = calloc(n ? n : 1, sizeof *x->dates);
    if (!x->in.rows || !x->dates)
        return false;
    for (size_t i = 0; i < n; i++) {
        json_t *row = json_array_get(rows, i);
        if (json_is_object(row)) {
            check_row(r, row, (int)i + 1, x);
            continue;
        }
        char field[32];
        snprintf(field, sizeof field, "signins[%zu]", i + 1);
        req_field_error(r, field, SD_E_FIELD_TYPE, "应为对象", "must be an object");
    }
    x->in.n = n;
    return true;
}

void post_classes_ID_sessions_SID_signins(struct req *r)
{
    struct signins x = {.caller = req_caller(r)};
    if (!param_id(r->params[0], &x.id) || !param_id(r->params[1], &x.sid)) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    bool preview = false;
    if (!class_preview_query(r, &preview))
        return;
    json_t *rows = class_upload_rows(r, "signins", ROWS_MAX, csv_names);
    if (r->csv)
        csv_drop_empty(rows); /* an empty cell is a field not given */
    if (!check_rows(r, rows, &x))
        reply_problem(r, SD_E_INTERNAL, NULL);
    else if (x.in.n == 0 && jerr_count(&r->errors) == 0)
        req_field_error(r, "signins", SD_E_FIELD_REQUIRED, "至少一行", "at least one row");
    /* rows with problems of their own: the others are still checked against the database (in
     * a transaction rolled back) so that one reply names every bad row */
    if (jerr_count(&r->errors) > 0 && (!x.in.rows || !only_row_problems(r)))
        reply_field_errors(r, SD_E_SIGNINS_INVALID);
    else if (req_db(r)) {
        x.in.session_id = x.sid;
        struct call call = {.caller = x.caller,
                            .run = flow_class_signins,
                            .args = {.id = x.id, .in.signins = &x.in}};
        (preview || jerr_count(&r->errors) > 0 ? call_dry_run : call_keyed)(r, &call);
    }
    free(x.in.rows);
    free(x.dates);
    json_decref(rows);
}
