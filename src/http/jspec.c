/* Spec-driven parsing: a table of fields checks a JSON object or a query string, gathering every
 * problem into the request's field errors instead of stopping at the first. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

bool json_depth_ok(const char *text, size_t len, unsigned max)
{
    unsigned depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > max)
                return false;
        } else if ((c == '}' || c == ']') && depth > 0) {
            depth--;
        }
    }
    return true;
}

/* Length in characters of valid UTF-8 (jansson has checked validity). */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

static bool has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7F)
            return true;
    return false;
}

static const struct jfield *find(const struct jfield *spec, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(spec[i].name, name) == 0)
            return &spec[i];
    return NULL;
}

static bool check_string(struct req *r, const struct jfield *f, const char *field, const char *s)
{
    char zh[320], en[320];
    size_t len = utf8_chars(s);
    if ((long long)len < f->min || (long long)len > f->max) {
        snprintf(zh, sizeof zh, "长度应为 %lld 至 %lld 个字符", f->min, f->max);
        snprintf(en, sizeof en, "must be %lld to %lld characters long", f->min, f->max);
        req_field_error(r, field, SD_E_FIELD_LENGTH, zh, en);
        return false;
    }
    if (has_control(s)) {
        req_field_error(r, field, SD_E_FIELD_FORMAT, "不得含有控制字符",
                        "must not contain control characters");
        return false;
    }
    if (f->one_of) {
        for (const char *const *v = f->one_of; *v; v++)
            if (strcmp(*v, s) == 0)
                return true;
        char list[256] = "";
        for (const char *const *v = f->one_of; *v; v++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                     v == f->one_of ? "" : ", ", *v);
        snprintf(zh, sizeof zh, "应为 %s 之一", list);
        snprintf(en, sizeof en, "must be one of %s", list);
        req_field_error(r, field, SD_E_FIELD_ENUM, zh, en);
        return false;
    }
    if (f->valid && !f->valid(s)) {
        req_field_error(r, field, SD_E_FIELD_FORMAT, NULL, NULL);
        return false;
    }
    return true;
}

static bool check_int(struct req *r, const struct jfield *f, const char *field, long long v)
{
    if (v >= f->min && v <= f->max)
        return true;
    char zh[96], en[96];
    snprintf(zh, sizeof zh, "应在 %lld 至 %lld 之间", f->min, f->max);
    snprintf(en, sizeof en, "must be from %lld to %lld", f->min, f->max);
    req_field_error(r, field, SD_E_FIELD_RANGE, zh, en);
    return false;
}

static void type_error(struct req *r, const char *field, const char *expected_zh,
                       const char *expected_en)
{
    char zh[64], en[64];
    snprintf(zh, sizeof zh, "应为%s", expected_zh);
    snprintf(en, sizeof en, "must be %s", expected_en);
    req_field_error(r, field, SD_E_FIELD_TYPE, zh, en);
}

static void one_value(struct req *r, const struct jfield *f, const json_t *v)
{
    switch (f->kind) {
    case JF_STRING:
        if (!json_is_string(v))
            type_error(r, f->name, "字符串", "a string");
        else if (check_string(r, f, f->name, json_string_value(v)) && f->out)
            *(const char **)f->out = json_string_value(v);
        break;
    case JF_INT:
        if (!json_is_integer(v))
            type_error(r, f->name, "整数", "an integer");
        else if (check_int(r, f, f->name, json_integer_value(v)) && f->out)
            *(long long *)f->out = json_integer_value(v);
        break;
    case JF_BOOL:
        if (!json_is_boolean(v))
            type_error(r, f->name, "布尔值", "a boolean");
        else if (f->out)
            *(bool *)f->out = json_is_true(v);
        break;
    case JF_STRING_LIST: {
        if (!json_is_array(v)) {
            type_error(r, f->name, "字符串数组", "an array of strings");
            break;
        }
        struct jfield item = *f;
        item.min = 1, item.max = 64; /* items are codes, never free text */
        size_t n = json_array_size(v);
        if ((long long)n < f->min || (long long)n > f->max) {
            char zh[96], en[96];
            snprintf(zh, sizeof zh, "应有 %lld 至 %lld 项", f->min, f->max);
            snprintf(en, sizeof en, "must have %lld to %lld items", f->min, f->max);
            req_field_error(r, f->name, SD_E_FIELD_LENGTH, zh, en);
            break;
        }
        bool all_ok = true;
        for (size_t i = 0; i < n; i++) {
            char field[96];
            snprintf(field, sizeof field, "%s[%zu]", f->name, i);
            const json_t *it = json_array_get(v, i);
            if (!json_is_string(it)) {
                type_error(r, field, "字符串", "a string");
                all_ok = false;
            } else if (!check_string(r, &item, field, json_string_value(it))) {
                all_ok = false;
            }
        }
        if (all_ok && f->out)
            *(const json_t **)f->out = v;
        break;
    }
    }
}

bool jspec_body(struct req *r, const json_t *obj, const struct jfield *spec, size_t n)
{
    size_t before = json_array_size(r->field_errors);
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        if (!find(spec, n, key))
            req_field_error(r, key, SD_E_FIELD_UNKNOWN, NULL, NULL);
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *val = json_object_get(obj, spec[i].name);
        if (spec[i].given)
            *spec[i].given = val != NULL;
        if (!val) {
            if (spec[i].required)
                req_field_error(r, spec[i].name, SD_E_FIELD_REQUIRED, NULL, NULL);
            continue;
        }
        if (json_is_null(val) && !spec[i].required) {
            if (spec[i].given)
                *spec[i].given = false;
            continue;
        }
        one_value(r, &spec[i], val);
    }
    return json_array_size(r->field_errors) == before;
}

struct query_walk {
    struct req *r;
    const struct jfield *spec;
    size_t n;
};

static enum MHD_Result unknown_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    struct query_walk *w = cls;
    if (!find(w->spec, w->n, key))
        req_field_error(w->r, key, SD_E_FIELD_UNKNOWN, NULL, NULL);
    return MHD_YES;
}

bool jspec_query(struct req *r, const struct jfield *spec, size_t n)
{
    size_t before = json_array_size(r->field_errors);
    struct query_walk w = {r, spec, n};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, unknown_arg, &w);
    for (size_t i = 0; i < n; i++) {
        const struct jfield *f = &spec[i];
        const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, f->name);
        if (f->given)
            *f->given = v != NULL;
        if (!v) {
            if (f->required)
                req_field_error(r, f->name, SD_E_FIELD_REQUIRED, NULL, NULL);
            continue;
        }
        if (f->kind == JF_INT) {
            char *end = NULL;
            errno = 0;
            long long x = strtoll(v, &end, 10);
            if (errno || end == v || *end)
                type_error(r, f->name, "整数", "an integer");
            else if (check_int(r, f, f->name, x) && f->out)
                *(long long *)f->out = x;
        } else if (check_string(r, f, f->name, v) && f->out) {
            *(const char **)f->out = v;
        }
    }
    return json_array_size(r->field_errors) == before;
}
