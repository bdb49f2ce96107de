/* Spec-driven parsing: a table of fields checks a JSON object or a query string, gathering every
 * problem into the request's field errors instead of stopping at the first. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jspec.h"

/* Cut s back to whole UTF-8 characters after a truncating snprintf (s was valid UTF-8 before):
 * half a character would make the problem itself unreportable. */
static void utf8_cut(char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return;
    unsigned char c = (unsigned char)s[i - 1];
    size_t want = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (n - (i - 1) < want)
        s[i - 1] = '\0';
}

void jerr_add(struct jerrors *e, const char *field, enum sd_err code, const char *zh,
              const char *en)
{
    const struct sd_err_info *info = sd_err_lookup(code);
    const char *title = e->lang_en ? info->title_en : info->title_zh;
    const char *extra = e->lang_en ? en : zh;
    char message[1024];
    if (extra)
        snprintf(message, sizeof message, e->lang_en ? "%s: %s" : "%s：%s", title, extra);
    else
        snprintf(message, sizeof message, "%s", title);
    utf8_cut(message);
    if (!e->list)
        e->list = json_array();
    json_t *item = json_pack("{s:s, s:i, s:s, s:s}", "field", field, "code", info->code, "name",
                             info->name, "message", message);
    if (!item) /* never lose a problem: a field name that is not UTF-8 is reported as "?" */
        item = json_pack("{s:s, s:i, s:s, s:s}", "field", "?", "code", info->code, "name",
                         info->name, "message", title);
    json_array_append_new(e->list, item);
}

size_t jerr_count(const struct jerrors *e)
{
    return json_array_size(e->list);
}

bool jerr_has_field(const struct jerrors *e, const char *field)
{
    size_t i;
    json_t *v;
    json_array_foreach(e->list, i, v)
    {
        if (strcmp(json_string_value(json_object_get(v, "field")), field) == 0)
            return true;
    }
    return false;
}

bool jfield_within(const char *field, const char *within)
{
    size_t n = strlen(within);
    return strncmp(field, within, n) == 0 &&
           (field[n] == '\0' || field[n] == '.' || field[n] == '[');
}

bool jerr_has_within(const struct jerrors *e, const char *within)
{
    size_t i;
    json_t *v;
    json_array_foreach(e->list, i, v)
    {
        if (jfield_within(json_string_value(json_object_get(v, "field")), within))
            return true;
    }
    return false;
}

bool jerr_has(const struct jerrors *e, enum sd_err code)
{
    size_t i;
    json_t *v;
    json_array_foreach(e->list, i, v)
    {
        if (json_integer_value(json_object_get(v, "code")) == code)
            return true;
    }
    return false;
}

void jerr_clear(struct jerrors *e)
{
    json_decref(e->list);
    e->list = NULL;
}

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

bool utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        size_t n = c < 0x80             ? 0
                   : (c & 0xE0) == 0xC0 ? 1
                   : (c & 0xF0) == 0xE0 ? 2
                   : (c & 0xF8) == 0xF0 ? 3
                                        : 9;
        if (n == 9 || (n == 1 && c < 0xC2) || (c == 0xF4 && p[1] > 0x8F) || c > 0xF4)
            return false;
        if (n == 2 && ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F)))
            return false;
        if (n == 3 && c == 0xF0 && p[1] < 0x90)
            return false;
        for (size_t i = 1; i <= n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return false;
        p += n + 1;
    }
    return true;
}

static bool has_control(const char *s, bool lines)
{
    for (; *s; s++)
        if (((unsigned char)*s < 0x20 && !(lines && strchr("\r\n\t", *s))) || *s == 0x7F)
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

static void field_name(char *out, size_t len, const char *prefix, const char *name)
{
    if (prefix)
        snprintf(out, len, "%s.%s", prefix, name);
    else
        snprintf(out, len, "%s", name);
    utf8_cut(out);
}

/* "a, b, c" of a NULL-terminated list. */
static void list_text(const char *const *v, char *out, size_t len)
{
    out[0] = '\0';
    for (const char *const *p = v; *p; p++) {
        size_t used = strlen(out);
        snprintf(out + used, len - used, "%s%s", p == v ? "" : ", ", *p);
    }
}

void jspec_allowed(const struct jfield *f, char *zh, size_t zhlen, char *en, size_t enlen)
{
    char list[768];
    if (f->kind == JF_STRING && f->one_of) {
        list_text(f->one_of, list, sizeof list);
        snprintf(zh, zhlen, "应为 %s 之一", list);
        snprintf(en, enlen, "must be one of %s", list);
    } else if ((f->kind == JF_STRING || f->kind == JF_STRING_LIST) && f->format &&
               f->format->values) {
        f->format->values(list, sizeof list);
        snprintf(zh, zhlen, f->kind == JF_STRING ? "应为 %s 之一" : "每项应为 %s 之一", list);
        snprintf(en, enlen, f->kind == JF_STRING ? "must be one of %s" : "each must be one of %s",
                 list);
    } else if (f->kind == JF_STRING && f->format && f->format->zh) {
        snprintf(zh, zhlen, "应为%s（%lld 至 %lld 个字符）", f->format->zh, f->min, f->max);
        snprintf(en, enlen, "must be %s (%lld to %lld characters)", f->format->en, f->min, f->max);
    } else if (f->kind == JF_STRING) {
        snprintf(zh, zhlen, "应为 %lld 至 %lld 个字符的字符串", f->min, f->max);
        snprintf(en, enlen, "must be a string of %lld to %lld characters", f->min, f->max);
    } else if (f->kind == JF_INT) {
        snprintf(zh, zhlen, "应为 %lld 至 %lld 之间的整数", f->min, f->max);
        snprintf(en, enlen, "must be an integer from %lld to %lld", f->min, f->max);
    } else if (f->kind == JF_BOOL) {
        snprintf(zh, zhlen, "应为布尔值 true 或 false");
        snprintf(en, enlen, "must be a boolean, true or false");
    } else if (f->kind == JF_OBJECT) {
        snprintf(zh, zhlen, "应为对象");
        snprintf(en, enlen, "must be an object");
    } else if (f->kind == JF_ID_LIST) {
        snprintf(zh, zhlen, "应为含 %lld 至 %lld 个不重复编号（正整数）的数组", f->min, f->max);
        snprintf(en, enlen, "must be an array of %lld to %lld distinct ids (positive integers)",
                 f->min, f->max);
    } else {
        bool objects = f->kind == JF_OBJECT_LIST;
        snprintf(zh, zhlen, "应为含 %lld 至 %lld 项的%s", f->min, f->max,
                 objects ? "对象数组" : "字符串数组");
        snprintf(en, enlen, "must be an array of %lld to %lld %s", f->min, f->max,
                 objects ? "objects" : "strings");
    }
    utf8_cut(zh);
    utf8_cut(en);
}

/* One problem of field, saying what f allows. */
static void allowed_error(struct jerrors *e, const struct jfield *f, const char *field,
                          enum sd_err code)
{
    char zh[896], en[896];
    jspec_allowed(f, zh, sizeof zh, en, sizeof en);
    jerr_add(e, field, code, zh, en);
}

static bool check_string(struct jerrors *e, const struct jfield *f, const char *field,
                         const char *s)
{
    size_t len = utf8_chars(s);
    if ((long long)len < f->min || (long long)len > f->max) {
        allowed_error(e, f, field, SD_E_FIELD_LENGTH);
        return false;
    }
    if (has_control(s, f->lines)) {
        jerr_add(e, field, SD_E_FIELD_FORMAT, "不得含有控制字符",
                 "must not contain control characters");
        return false;
    }
    if (f->one_of) {
        for (const char *const *v = f->one_of; *v; v++)
            if (strcmp(*v, s) == 0)
                return true;
        allowed_error(e, f, field, SD_E_FIELD_ENUM);
        return false;
    }
    if (f->format && !f->format->ok(s)) {
        allowed_error(e, f, field, f->format->values ? SD_E_FIELD_ENUM : SD_E_FIELD_FORMAT);
        return false;
    }
    return true;
}

static bool check_int(struct jerrors *e, const struct jfield *f, const char *field, long long v)
{
    if (v >= f->min && v <= f->max)
        return true;
    allowed_error(e, f, field, SD_E_FIELD_RANGE);
    return false;
}

static void type_error(struct jerrors *e, const char *field, const char *expected_zh,
                       const char *expected_en)
{
    char zh[64], en[64];
    snprintf(zh, sizeof zh, "应为%s", expected_zh);
    snprintf(en, sizeof en, "must be %s", expected_en);
    jerr_add(e, field, SD_E_FIELD_TYPE, zh, en);
}

static bool count_ok(struct jerrors *e, const struct jfield *f, const char *field, size_t n)
{
    if ((long long)n >= f->min && (long long)n <= f->max)
        return true;
    allowed_error(e, f, field, SD_E_FIELD_LENGTH);
    return false;
}

/* Each item of an id list an id, and none twice (the item named). */
static bool ids_ok(struct jerrors *e, const struct jfield *f, const char *field, const json_t *v)
{
    bool all_ok = true;
    for (size_t i = 0; i < json_array_size(v); i++) {
        char name[192];
        snprintf(name, sizeof name, "%s[%zu]", field, i);
        const json_t *it = json_array_get(v, i);
        bool twice = false;
        for (size_t j = 0; j < i && json_is_integer(it); j++)
            twice = twice || json_equal(it, json_array_get(v, j));
        if (!json_is_integer(it) || json_integer_value(it) < 1) {
            allowed_error(e, f, name, SD_E_FIELD_TYPE);
            all_ok = false;
        } else if (twice) {
            jerr_add(e, name, SD_E_FIELD_FORMAT, "与前面的编号重复", "repeats an earlier id");
            all_ok = false;
        }
    }
    return all_ok;
}

/* A field that is not in spec: the reply names the ones that are. */
static void unknown_error(struct jerrors *e, const char *field, const struct jfield *spec, size_t n)
{
    char list[512] = "", zh[640], en[640];
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", spec[i].name);
    }
    snprintf(zh, sizeof zh, "允许的字段为 %s", list);
    snprintf(en, sizeof en, "the fields allowed here are %s", list);
    jerr_add(e, field, SD_E_FIELD_UNKNOWN, zh, en);
}

static void one_value(struct jerrors *e, const struct jfield *f, const char *field, const json_t *v)
{
    switch (f->kind) {
    case JF_STRING:
        if (!json_is_string(v))
            allowed_error(e, f, field, SD_E_FIELD_TYPE);
        else if (check_string(e, f, field, json_string_value(v)) && f->out)
            *(const char **)f->out = json_string_value(v);
        break;
    case JF_INT:
        if (!json_is_integer(v))
            allowed_error(e, f, field, SD_E_FIELD_TYPE);
        else if (check_int(e, f, field, json_integer_value(v)) && f->out)
            *(long long *)f->out = json_integer_value(v);
        break;
    case JF_BOOL:
        if (!json_is_boolean(v))
            allowed_error(e, f, field, SD_E_FIELD_TYPE);
        else if (f->out)
            *(bool *)f->out = json_is_true(v);
        break;
    case JF_OBJECT:
        if (!json_is_object(v))
            allowed_error(e, f, field, SD_E_FIELD_TYPE);
        else if (f->out)
            *(const json_t **)f->out = v;
        break;
    case JF_OBJECT_LIST:
    case JF_STRING_LIST: {
        bool objects = f->kind == JF_OBJECT_LIST;
        if (!json_is_array(v)) {
            allowed_error(e, f, field, SD_E_FIELD_TYPE);
            break;
        }
        if (!count_ok(e, f, field, json_array_size(v)))
            break;
        struct jfield item = *f;
        item.kind = JF_STRING;
        item.min = 1, item.max = 64; /* string items are codes, never free text */
        bool all_ok = true;
        for (size_t i = 0; i < json_array_size(v); i++) {
            char name[192];
            snprintf(name, sizeof name, "%s[%zu]", field, i);
            const json_t *it = json_array_get(v, i);
            if (objects ? !json_is_object(it) : !json_is_string(it)) {
                type_error(e, name, objects ? "对象" : "字符串",
                           objects ? "an object" : "a string");
                all_ok = false;
            } else if (!objects && !check_string(e, &item, name, json_string_value(it))) {
                all_ok = false;
            }
        }
        if (all_ok && f->out)
            *(const json_t **)f->out = v;
        break;
    }
    case JF_ID_LIST:
        if (json_is_array(v) && count_ok(e, f, field, json_array_size(v)) &&
            ids_ok(e, f, field, v) && f->out)
            *(const json_t **)f->out = v;
        else if (!json_is_array(v))
            allowed_error(e, f, field, SD_E_FIELD_TYPE);
        break;
    }
}

bool jspec_object(struct jerrors *e, const char *prefix, const json_t *obj,
                  const struct jfield *spec, size_t n)
{
    size_t before = jerr_count(e);
    char field[160];
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        if (!find(spec, n, key)) {
            field_name(field, sizeof field, prefix, key);
            unknown_error(e, field, spec, n);
        }
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *val = json_object_get(obj, spec[i].name);
        bool present = val && !json_is_null(val);
        if (spec[i].given)
            *spec[i].given = present;
        field_name(field, sizeof field, prefix, spec[i].name);
        if (!present) {
            if (spec[i].required)
                allowed_error(e, &spec[i], field, SD_E_FIELD_REQUIRED);
            continue;
        }
        one_value(e, &spec[i], field, val);
    }
    return jerr_count(e) == before;
}

bool jspec_strings(struct jerrors *e, const char *const *keys, const char *const *values,
                   size_t count, const struct jfield *spec, size_t n)
{
    size_t before = jerr_count(e);
    for (size_t k = 0; k < count; k++)
        if (!find(spec, n, keys[k]))
            unknown_error(e, utf8_valid(keys[k]) ? keys[k] : "?", spec, n);
    for (size_t i = 0; i < n; i++) {
        const struct jfield *f = &spec[i];
        const char *v = NULL;
        for (size_t k = 0; k < count && !v; k++)
            if (strcmp(keys[k], f->name) == 0)
                v = values[k] ? values[k] : "";
        if (f->given)
            *f->given = v != NULL;
        if (!v) {
            if (f->required)
                allowed_error(e, f, f->name, SD_E_FIELD_REQUIRED);
            continue;
        }
        if (!utf8_valid(v)) {
            jerr_add(e, f->name, SD_E_FIELD_FORMAT, "不是合法的 UTF-8", "is not valid UTF-8");
        } else if (f->kind == JF_INT) {
            char *end = NULL;
            errno = 0;
            long long x = strtoll(v, &end, 10);
            if (errno || end == v || *end)
                allowed_error(e, f, f->name, SD_E_FIELD_TYPE);
            else if (check_int(e, f, f->name, x) && f->out)
                *(long long *)f->out = x;
        } else if (check_string(e, f, f->name, v) && f->out) {
            *(const char **)f->out = v;
        }
    }
    return jerr_count(e) == before;
}
