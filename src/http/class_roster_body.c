/* Rosters as uploaded (classes.h): a JSON array or the CSV sheet an institution keeps.  Every
 * bad row and field is named at once, by row number; the same ID number twice is named on its
 * later rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "csv.h"
#include "sr_ids.h"

#define ROSTER_MAX 1000 /* the largest capacity of a class (sql/0021_classes.sql) */

struct jfield class_id_number_field(const char **out)
{
    return (struct jfield){
        .name = "id_number", .kind = JF_STRING, .required = true, .min = 18, .max = 18, .out = out};
}

void class_id_number_check(struct req *r, const char *field, const char *id, int32_t today)
{
    if (id && !jerr_has_field(&r->errors, field) &&
        sr_resident_id_check(id, today, NULL) != SR_ID_OK)
        req_field_error(r, field, SD_E_FIELD_FORMAT, "不是有效的居民身份证号码",
                        "not a valid resident ID number");
}

static void check_row(struct req *r, json_t *row, int n, int32_t today, struct class_trainee *t)
{
    char prefix[32], field[64];
    snprintf(prefix, sizeof prefix, "roster[%d]", n);
    const struct jfield spec[] = {
        class_id_number_field(&t->id_number),
        {.name = "name", .kind = JF_STRING, .required = true, .min = 1, .max = 50, .out = &t->name},
    };
    t->row = n;
    jspec_object(&r->errors, prefix, row, spec, sizeof spec / sizeof spec[0]);
    snprintf(field, sizeof field, "%s.id_number", prefix);
    class_id_number_check(r, field, t->id_number, today);
}

bool class_same_id(const char *a, const char *b)
{
    return strncmp(a, b, 17) == 0 &&
           (a[17] == b[17] || ((a[17] | 0x20) == 'x' && (b[17] | 0x20) == 'x'));
}

static void check_rows(struct req *r, int32_t today, struct class_roster *out)
{
    size_t n = json_array_size(out->json);
    if (n > ROSTER_MAX) {
        req_field_error(r, "roster", SD_E_FIELD_LENGTH, "至多 1000 行", "at most 1000 rows");
        return;
    }
    out->in.rows = calloc(n ? n : 1, sizeof *out->in.rows);
    if (!out->in.rows)
        return;
    for (size_t i = 0; i < n; i++) {
        json_t *row = json_array_get(out->json, i);
        struct class_trainee *t = &out->in.rows[i];
        if (!json_is_object(row)) {
            char field[32];
            snprintf(field, sizeof field, "roster[%zu]", i + 1);
            req_field_error(r, field, SD_E_FIELD_TYPE, "应为对象", "must be an object");
            continue;
        }
        check_row(r, row, (int)i + 1, today, t);
        for (size_t j = 0; t->id_number && strlen(t->id_number) == 18 && j < i; j++)
            if (out->in.rows[j].id_number && strlen(out->in.rows[j].id_number) == 18 &&
                class_same_id(out->in.rows[j].id_number, t->id_number)) {
                char field[64], zh[64], en[64];
                snprintf(field, sizeof field, "roster[%zu].id_number", i + 1);
                snprintf(zh, sizeof zh, "与第 %zu 行是同一人", j + 1);
                snprintf(en, sizeof en, "the same person as row %zu", j + 1);
                req_field_error(r, field, SD_E_FIELD_CONFLICT, zh, en);
                break;
            }
    }
    out->in.n = n;
}

void class_roster_from_json(struct req *r, const json_t *rows, int32_t today,
                            struct class_roster *out)
{
    memset(out, 0, sizeof *out);
    out->json = json_deep_copy(rows);
    if (!json_is_array(out->json)) {
        json_decref(out->json);
        out->json = json_array();
    }
    check_rows(r, today, out);
}

/* The column names a sheet may use for the fields. */
static const char *const columns[][2] = {
    {"身份证号", "id_number"}, {"身份证号码", "id_number"}, {"姓名", "name"}};

void class_roster_from_csv(struct req *r, const char *text, int32_t today, struct class_roster *out)
{
    memset(out, 0, sizeof *out);
    if (strncmp(text, "\xEF\xBB\xBF", 3) == 0) /* the BOM spreadsheets write */
        text += 3;
    out->json = csv_rows(text, &r->errors, ROSTER_MAX + 1);
    size_t i;
    json_t *row;
    json_array_foreach(out->json, i, row)
    {
        for (size_t k = 0; k < sizeof columns / sizeof columns[0]; k++) {
            json_t *v = json_object_get(row, columns[k][0]);
            if (v && !json_object_get(row, columns[k][1])) {
                json_object_set(row, columns[k][1], v);
                json_object_del(row, columns[k][0]);
            }
        }
    }
    check_rows(r, today, out);
}

void class_roster_free(struct class_roster *x)
{
    json_decref(x->json);
    free(x->in.rows);
    memset(x, 0, sizeof *x);
}

bool class_preview_query(struct req *r, bool *preview)
{
    static const char *const tf[] = {"true", "false", NULL};
    const char *p = NULL;
    const struct jfield spec[] = {
        {.name = "preview", .kind = JF_STRING, .min = 4, .max = 5, .one_of = tf, .out = &p}};
    if (!jspec_query(r, spec, 1)) {
        reply_field_errors(r, SD_E_BAD_QUERY);
        return false;
    }
    *preview = p && strcmp(p, "true") == 0;
    return true;
}

bool class_reply_field_errors(struct req *r, enum sd_err whole_code)
{
    if (jerr_count(&r->errors) == 0)
        return false;
    json_t *rows = json_array(), *e;
    bool only_roster = true;
    size_t i;
    json_array_foreach(r->errors.list, i, e)
    {
        const char *f = json_string_value(json_object_get(e, "field")) ?: "";
        int n = 0;
        if (sscanf(f, "roster[%d]", &n) == 1) {
            size_t k = json_array_size(rows);
            if (k == 0 || json_integer_value(json_array_get(rows, k - 1)) != n)
                json_array_append_new(rows, json_integer(n));
        } else if (strncmp(f, "csv line", 8) != 0) {
            only_roster = false;
        }
    }
    return reply_field_errors_with(r, only_roster ? SD_E_ROSTER_INVALID : whole_code,
                                   json_pack("{s:o}", "bad_rows", rows));
}
