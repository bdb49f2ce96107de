/* POST /v1/classes/{id}/completion: the class's institution reports completion (结业) of a
 * running class — per trainee of the live roster the hours attended and pass or fail — as JSON
 * ({"trainees": [{id_number, attendance_hours, passed}]}) or as the CSV sheet (text/csv, header
 * id_number,attendance_hours,passed or 身份证号,出勤课时,是否合格).  Every bad row and field by
 * row number, trainees not on the roster and those left out listed, nothing written when
 * anything is wrong; ?preview=true answers the same without writing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "class_attendance_http.h"

#define ROWS_MAX 1000 /* the largest capacity of a class (sql/0021_classes.sql) */

static const char *id_at(const void *rows, int j)
{
    return ((const struct class_result *)rows)[j].id_number;
}

static void check_row(struct req *r, json_t *row, int n, int32_t today,
                      const struct class_result *rows, struct class_result *t)
{
    char prefix[32], field[64];
    snprintf(prefix, sizeof prefix, "trainees[%d]", n);
    const struct jfield spec[] = {
        class_id_number_field(&t->id_number),
        {.name = "attendance_hours",
         .kind = JF_INT,
         .required = true,
         .min = 0,
         .max = 10000,
         .out = &t->hours},
        {.name = "passed", .kind = JF_BOOL, .required = true, .out = &t->passed},
    };
    t->row = n;
    jspec_object(&r->errors, prefix, row, spec, sizeof spec / sizeof spec[0]);
    snprintf(field, sizeof field, "%s.id_number", prefix);
    class_id_number_check(r, field, t->id_number, today);
    class_same_person_check(r, field, t->id_number, n - 1, id_at, rows);
}

/* A CSV row's texts as the JSON types the spec wants; anything else is left for it to name. */
static void csv_types(json_t *row)
{
    static const char *const names[][2] = {{"身份证号", "id_number"},
                                           {"身份证号码", "id_number"},
                                           {"出勤课时", "attendance_hours"},
                                           {"是否合格", "passed"}};
    class_csv_rename(row, names, sizeof names / sizeof names[0]);
    const char *h = json_string_value(json_object_get(row, "attendance_hours"));
    char *end = NULL;
    long long hours = h && *h ? strtoll(h, &end, 10) : 0;
    if (h && *h && end && *end == '\0')
        json_object_set_new(row, "attendance_hours", json_integer(hours));
    const char *p = json_string_value(json_object_get(row, "passed"));
    if (p && (strcmp(p, "true") == 0 || strcmp(p, "合格") == 0 || strcmp(p, "是") == 0))
        json_object_set_new(row, "passed", json_true());
    else if (p && (strcmp(p, "false") == 0 || strcmp(p, "不合格") == 0 || strcmp(p, "否") == 0))
        json_object_set_new(row, "passed", json_false());
}

static void check_one(struct req *r, json_t *row, int n, void *out, void *cls)
{
    struct class_result *rows = out;
    check_row(r, row, n, *(const int32_t *)cls, rows, &rows[n - 1]);
}

static void check_rows(struct req *r, json_t *rows, int32_t today, struct class_completion_in *in)
{
    in->rows = class_rows_each(r, "trainees", rows, ROWS_MAX, sizeof *in->rows, check_one, &today);
    in->n = in->rows ? json_array_size(rows) : 0;
}

void post_classes_ID_completion(struct req *r)
{
    struct call call = req_call(r, flow_class_completion);
    struct class_completion_in in = {.attendance_percent = (int)config.class_attendance_percent};
    call.args.in.completion = &in;
    if (!call_path_id(r, &call))
        return;
    bool preview = false;
    if (!class_preview_query(r, &preview))
        return;
    json_t *rows = class_upload_rows(r, "trainees", ROWS_MAX, csv_types);
    check_rows(r, rows, call.caller.today, &in);
    if (jerr_count(&r->errors) > 0)
        reply_field_errors(r, SD_E_COMPLETION_INVALID);
    else if (req_db(r))
        (preview ? call_dry_run : call_keyed)(r, &call);
    free(in.rows);
    json_decref(rows);
}
