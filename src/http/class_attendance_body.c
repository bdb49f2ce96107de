/* The shared pieces of the attendance and inspection endpoints (class_attendance_http.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_json.h"
#include "class_attendance_http.h"
#include "csv.h"

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* HH:MM or HH:MM:SS at s, exactly. */
static bool clock_ok(const char *s, bool seconds_allowed)
{
    size_t n = strlen(s);
    if (!(n == 5 || (seconds_allowed && n == 8)) || !digits(s, 2) || s[2] != ':' ||
        !digits(s + 3, 2) || (n == 8 && (s[5] != ':' || !digits(s + 6, 2))))
        return false;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    int sec = n == 8 ? (s[6] - '0') * 10 + (s[7] - '0') : 0;
    return h < 24 && m < 60 && sec < 60;
}

static bool time_ok(const char *s)
{
    return clock_ok(s, false);
}

static bool signin_time_ok(const char *s)
{
    if (strlen(s) > 10 && (s[10] == ' ' || s[10] == 'T')) {
        char date[11];
        snprintf(date, sizeof date, "%.10s", s);
        return cj_date_format.ok(date) && clock_ok(s + 11, true);
    }
    return clock_ok(s, true);
}

const struct jformat class_time_format = {
    .ok = time_ok, .zh = " HH:MM 格式的时刻", .en = "a time of day as HH:MM"};
const struct jformat class_signin_time_format = {
    .ok = signin_time_ok,
    .zh = " HH:MM[:SS] 或 YYYY-MM-DD HH:MM[:SS] 格式的时刻",
    .en = "a time as HH:MM[:SS] or YYYY-MM-DD HH:MM[:SS]"};

void class_signin_time_split(const char *text, char date_out[11], char time_out[9])
{
    date_out[0] = '\0';
    if (strlen(text) > 10 && (text[10] == ' ' || text[10] == 'T')) {
        snprintf(date_out, 11, "%.10s", text);
        text += 11;
    }
    snprintf(time_out, 9, "%.8s", text);
    if (strlen(time_out) == 5)
        strcat(time_out, ":00");
}

json_t *class_upload_rows(struct req *r, const char *list, size_t max, void (*fix)(json_t *row))
{
    if (r->csv) {
        const char *text = r->body;
        if (strncmp(text, "\xEF\xBB\xBF", 3) == 0) /* the BOM spreadsheets write */
            text += 3;
        json_t *rows = csv_rows(text, &r->errors, max + 1);
        size_t i;
        json_t *row;
        json_array_foreach(rows, i, row) if (fix) fix(row);
        return rows;
    }
    const json_t *given = NULL;
    const struct jfield spec[] = {{.name = list,
                                   .kind = JF_OBJECT_LIST,
                                   .required = true,
                                   .min = 1,
                                   .max = (long long)max,
                                   .out = &given}};
    jspec_body(r, r->json, spec, 1);
    return given ? json_deep_copy(given) : json_array();
}

void *class_rows_each(struct req *r, const char *list, const json_t *rows, size_t max, size_t size,
                      void (*check)(struct req *r, json_t *row, int n, void *out, void *cls),
                      void *cls)
{
    size_t n = json_array_size(rows);
    if (n > max) {
        char zh[48], en[48];
        snprintf(zh, sizeof zh, "至多 %zu 行", max);
        snprintf(en, sizeof en, "at most %zu rows", max);
        req_field_error(r, list, SD_E_FIELD_LENGTH, zh, en);
        return NULL;
    }
    void *out = calloc(n ? n : 1, size);
    for (size_t i = 0; out && i < n; i++) {
        json_t *row = json_array_get(rows, i);
        if (json_is_object(row)) {
            check(r, row, (int)i + 1, out, cls);
            continue;
        }
        char field[48];
        snprintf(field, sizeof field, "%s[%zu]", list, i + 1);
        req_field_error(r, field, SD_E_FIELD_TYPE, "应为对象", "must be an object");
    }
    return out;
}

void class_csv_rename(json_t *row, const char *const (*names)[2], size_t n)
{
    for (size_t k = 0; k < n; k++) {
        json_t *v = json_object_get(row, names[k][0]);
        if (v && !json_object_get(row, names[k][1])) {
            json_object_set(row, names[k][1], v);
            json_object_del(row, names[k][0]);
        }
    }
}

void class_same_person_check(struct req *r, const char *field, const char *id, int n,
                             const char *(*id_at)(const void *rows, int j), const void *rows)
{
    for (int j = 0; id && strlen(id) == 18 && j < n; j++) {
        const char *other = id_at(rows, j);
        if (other && strlen(other) == 18 && class_same_id(other, id)) {
            char zh[64], en[64];
            snprintf(zh, sizeof zh, "与第 %d 行是同一人", j + 1);
            snprintf(en, sizeof en, "the same person as row %d", j + 1);
            req_field_error(r, field, SD_E_FIELD_CONFLICT, zh, en);
            return;
        }
    }
}

void class_reply_list(struct req *r,
                      enum db_rc (*list)(struct db_conn *c, long long id, json_t **items))
{
    class_reply_list_csv(r, list, NULL);
}

void class_reply_list_csv(struct req *r,
                          enum db_rc (*list)(struct db_conn *c, long long id, json_t **items),
                          const char *const *columns)
{
    struct db_conn *db = req_db(r);
    long long id;
    struct db_class_view v;
    if (!db || !class_read_visible(r, db, &id, db_class_get, &v))
        return;
    db_class_view_free(&v);
    json_t *items = NULL;
    enum db_rc rc = list(db, id, &items);
    if (rc != DB_OK || !columns || !req_wants_csv(r)) {
        reply_items(r, rc, items);
        return;
    }
    size_t len;
    char *text = csv_from_items(items, columns, &len);
    json_decref(items);
    if (text)
        reply_csv(r, text, len, NULL);
    else
        reply_problem(r, SD_E_INTERNAL, NULL);
}
