#ifndef SD_JSPEC_H
#define SD_JSPEC_H

/*
 * Spec-driven checking of JSON objects (and of string key/value sets such as a query string):
 * a table of fields (name, kind, required, bounds, allowed values or a format check, where to
 * put the value) is applied to an object, and every problem goes into a struct jerrors — unknown
 * fields, missing ones, wrong types, out-of-range values — instead of stopping at the first, so
 * a reply can name every bad field at once.  Codes come from api/errors.csv.
 */

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "sd_errors.h"

/* Field problems gathered for one reply: [{field, code, name, message}]. */
struct jerrors {
    json_t *list; /* created on the first problem */
    bool lang_en; /* messages in English rather than Chinese */
};

/* Add one problem; zh/en details may be NULL to use the code's title alone. */
void jerr_add(struct jerrors *e, const char *field, enum sd_err code, const char *zh,
              const char *en);
size_t jerr_count(const struct jerrors *e);
/* Is any problem about this field? */
bool jerr_has_field(const struct jerrors *e, const char *field);
/* Is field the field within or inside it ("employee.id_number", "groups[0]" inside "groups")? */
bool jfield_within(const char *field, const char *within);
/* Is any problem about within or a field inside it? */
bool jerr_has_within(const struct jerrors *e, const char *within);
/* Is any problem of this code? */
bool jerr_has(const struct jerrors *e, enum sd_err code);
void jerr_clear(struct jerrors *e);

enum jf_kind {
    JF_STRING,
    JF_INT,
    JF_BOOL,
    JF_STRING_LIST, /* array of short code-like strings (each 1..64 characters) */
    JF_OBJECT,      /* an object; out gets the json_t * to check with its own table */
    JF_OBJECT_LIST, /* an array of objects; out gets the array */
    JF_ID_LIST,     /* an array of distinct ids (integers from 1); out gets the array */
};

/* What a string must look like: a check, and what it allows said in both languages, so that
 * every problem with the field tells the caller what would be accepted. */
struct jformat {
    bool (*ok)(const char *);
    const char *zh, *en; /* "YYYY-MM-DD 格式的有效日期" / "a valid date as YYYY-MM-DD" */
    /* an enumeration: writes its allowed values ("a, b, c") into buf; a failed check is then
     * "not an allowed value" rather than "malformed" */
    void (*values)(char *buf, size_t len);
};

struct jfield {
    const char *name;
    enum jf_kind kind;
    bool required;
    long long min, max;           /* INT: value; STRING: length in characters; LISTs: count */
    const char *const *one_of;    /* STRING: allowed values (NULL-terminated), or NULL */
    const struct jformat *format; /* STRING, STRING_LIST items: format check, or NULL */
    void *out;   /* const char ** (borrowed) / long long * / bool * / const json_t ** */
    bool *given; /* optional: set when the field is present and not null */
    bool lines;  /* STRING: line breaks and tabs allowed (a CSV sheet as text) */
};

/* What field f allows, in both languages ("应为 YYYY-MM-DD 格式的有效日期" / "must be ..."). */
void jspec_allowed(const struct jfield *f, char *zh, size_t zhlen, char *en, size_t enlen);

/* Check obj against spec.  Field names in problems are prefix.name ("person.hukou_region") or
 * name when prefix is NULL.  Returns true when this call added no problem. */
bool jspec_object(struct jerrors *e, const char *prefix, const json_t *obj,
                  const struct jfield *spec, size_t n);

/* The same for string pairs (a query string): INT and STRING fields only. */
bool jspec_strings(struct jerrors *e, const char *const *keys, const char *const *values,
                   size_t count, const struct jfield *spec, size_t n);

/* Strict UTF-8 (no overlongs, no surrogates) of a NUL-terminated string: jansson checks JSON
 * bodies; this checks query strings and text bodies. */
bool utf8_valid(const char *s);

/* Reject nesting deeper than max before parsing (a cheap scan of the raw bytes). */
bool json_depth_ok(const char *text, size_t len, unsigned max);

#endif
