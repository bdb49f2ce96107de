#include "csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct field {
    char *p;
    size_t len, cap;
};

static void put(struct field *f, char c)
{
    if (f->len + 1 >= f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 64;
        char *p = realloc(f->p, cap);
        if (!p)
            abort();
        f->p = p, f->cap = cap;
    }
    f->p[f->len++] = c;
    f->p[f->len] = '\0';
}

/* One row into a fresh array of strings; *text advances past it.  false on a broken quote. */
static bool read_row(const char **text, json_t *row, int *line)
{
    const char *s = *text;
    struct field f = {0};
    bool quoted = false, ok = true;
    put(&f, '\0'); /* an empty field, NUL-terminated */
    f.len = 0;
    for (;;) {
        char c = *s;
        if (quoted) {
            if (c == '\0') {
                ok = false;
                break;
            }
            if (c == '"' && s[1] == '"') {
                put(&f, '"');
                s += 2;
                continue;
            }
            if (c == '"') {
                quoted = false;
                s++;
                continue;
            }
            if (c == '\n')
                (*line)++;
            put(&f, c);
            s++;
            continue;
        }
        if (c == '"' && f.len == 0) {
            quoted = true;
            s++;
        } else if (c == ',') {
            json_array_append_new(row, json_string(f.p));
            f.len = 0, f.p[0] = '\0';
            s++;
        } else if (c == '\r' && s[1] == '\n') {
            s++;
        } else if (c == '\n' || c == '\0') {
            json_array_append_new(row, json_string(f.p));
            if (c == '\n')
                s++;
            break;
        } else {
            put(&f, c);
            s++;
        }
    }
    free(f.p);
    *text = s;
    return ok;
}

json_t *csv_rows(const char *text, struct jerrors *e, size_t max_rows)
{
    json_t *rows = json_array(), *header = NULL;
    size_t problems_before = jerr_count(e);
    int line = 0;
    char where[48];
    if (strncmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3; /* a byte-order mark, as spreadsheets write UTF-8 */
    while (*text) {
        line++;
        if (*text == '\n' || (*text == '\r' && text[1] == '\n')) {
            text += *text == '\r' ? 2 : 1;
            continue;
        }
        json_t *row = json_array();
        int first = line;
        bool ok = read_row(&text, row, &line);
        snprintf(where, sizeof where, "csv line %d", first);
        if (!ok) {
            jerr_add(e, where, SD_E_FIELD_FORMAT, "引号未闭合", "a quoted field is not closed");
            json_decref(row);
            break;
        }
        if (!header) {
            header = row;
            continue;
        }
        if (json_array_size(row) != json_array_size(header)) {
            char zh[64], en[64];
            snprintf(zh, sizeof zh, "应有 %zu 列", json_array_size(header));
            snprintf(en, sizeof en, "must have %zu columns", json_array_size(header));
            jerr_add(e, where, SD_E_FIELD_LENGTH, zh, en);
        } else if (json_array_size(rows) >= max_rows) {
            jerr_add(e, where, SD_E_FIELD_LENGTH, "行数过多", "too many rows");
            json_decref(row);
            break;
        } else {
            json_t *obj = json_object();
            for (size_t i = 0; i < json_array_size(header); i++)
                json_object_set(obj, json_string_value(json_array_get(header, i)),
                                json_array_get(row, i));
            json_array_append_new(rows, obj);
        }
        json_decref(row);
    }
    if (!header)
        jerr_add(e, "csv line 1", SD_E_FIELD_REQUIRED, "缺少表头行", "the header row is missing");
    json_decref(header);
    if (jerr_count(e) > problems_before)
        json_array_clear(rows); /* the shape is broken: the rows' fields would only mislead */
    return rows;
}

void csv_drop_empty(json_t *rows)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *key;
        json_t *v;
        void *tmp;
        json_object_foreach_safe(row, tmp, key, v)
        {
            if (!json_string_length(v))
                json_object_del(row, key);
        }
    }
}

/* One cell: quoted when it holds a comma, quote or line break; a text a spreadsheet would take
 * for a formula (=, +, -, @ first) is prefixed with ' so that it stays text. */
static void put_cell(struct field *f, const char *v)
{
    bool quote = strpbrk(v, ",\"\r\n") != NULL;
    if (quote)
        put(f, '"');
    if (strchr("=+-@", v[0]) && v[0])
        put(f, '\'');
    for (; *v; v++) {
        if (*v == '"')
            put(f, '"');
        put(f, *v);
    }
    if (quote)
        put(f, '"');
}

char *csv_from_items(const json_t *items, const char *const *columns, size_t *len)
{
    struct field f = {0};
    for (const char *b = "\xEF\xBB\xBF"; *b; b++)
        put(&f, *b);
    for (size_t k = 0; columns[k]; k++) {
        if (k)
            put(&f, ',');
        put_cell(&f, columns[k]);
    }
    put(&f, '\r'), put(&f, '\n');
    size_t i;
    const json_t *item;
    json_array_foreach(items, i, item)
    {
        for (size_t k = 0; columns[k]; k++) {
            if (k)
                put(&f, ',');
            const json_t *v = json_object_get(item, columns[k]);
            char num[32];
            if (json_is_integer(v))
                snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
            if (json_is_array(v)) { /* codes, one cell: separated by spaces */
                struct field joined = {0};
                size_t j;
                const json_t *e;
                json_array_foreach(v, j, e) if (json_string_value(e))
                {
                    if (joined.len)
                        put(&joined, ' ');
                    for (const char *c = json_string_value(e); *c; c++)
                        put(&joined, *c);
                }
                put_cell(&f, joined.p ? joined.p : "");
                free(joined.p);
                continue;
            }
            put_cell(&f, json_is_integer(v)     ? num
                         : json_string_value(v) ? json_string_value(v)
                                                : "");
        }
        put(&f, '\r'), put(&f, '\n');
    }
    *len = f.len;
    return f.p;
}
