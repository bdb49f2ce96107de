/* The values of a policy file (src/rules/README.md, "Policy file format"): text, numbers, dates,
 * money, yes/no, and lists of the vocabulary's names.  Each parser reports what is wrong at the
 * parser's line and returns false. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"

void sr_load_error(struct errors *e, const char *file, int line, const char *fmt, ...)
{
    e->count++;
    if (!e->buf || e->len == 0 || e->used + 1 >= e->len)
        return;
    int n =
        snprintf(e->buf + e->used, e->len - e->used, "%s%s:%d: ", e->used ? "\n" : "", file, line);
    if (n < 0)
        return;
    e->used += (size_t)n;
    if (e->used >= e->len) {
        e->used = e->len - 1;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    n = vsnprintf(e->buf + e->used, e->len - e->used, fmt, ap);
    va_end(ap);
    if (n > 0)
        e->used += (size_t)n;
    if (e->used >= e->len)
        e->used = e->len - 1;
}

void sr_load_perr(struct parser *p, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sr_load_error(p->err, p->file, p->line, "%s", msg);
}

char *sr_load_trim(char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

bool sr_load_text(struct parser *p, char *dst, size_t size, const char *value)
{
    if (strlen(value) >= size) {
        sr_load_perr(p, "value too long (at most %zu bytes)", size - 1);
        return false;
    }
    memcpy(dst, value, strlen(value) + 1);
    return true;
}

bool sr_load_int(struct parser *p, const char *value, int64_t lo, int64_t hi, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(value, &end, 10);
    if (errno || end == value || *end != '\0' || !isdigit((unsigned char)value[0])) {
        sr_load_perr(p, "'%s' is not a whole number", value);
        return false;
    }
    if (v < lo || v > hi) {
        sr_load_perr(p, "%lld is outside %lld..%lld", v, (long long)lo, (long long)hi);
        return false;
    }
    *out = v;
    return true;
}

bool sr_load_date(struct parser *p, const char *value, int32_t *out)
{
    if (!sr_day_parse(value, out)) {
        sr_load_perr(p, "'%s' is not a date YYYY-MM-DD", value);
        return false;
    }
    return true;
}

/* Money is written with its unit: "1200 yuan", "35.50 yuan" or "120000 fen". */
bool sr_load_money(struct parser *p, const char *value, int64_t *out)
{
    char num[32], unit[8], extra[2];
    if (sscanf(value, "%31s %7s %1s", num, unit, extra) != 2) {
        sr_load_perr(p, "money '%s' must be '<amount> yuan' or '<amount> fen'", value);
        return false;
    }
    int64_t whole = 0, cents = 0;
    const char *dot = strchr(num, '.');
    if (strcmp(unit, "fen") == 0) {
        if (dot || !sr_load_int(p, num, 0, SR_MONEY_MAX, &whole))
            return dot ? (sr_load_perr(p, "fen are whole numbers: '%s'", num), false) : false;
        *out = whole;
        return true;
    }
    if (strcmp(unit, "yuan") != 0) {
        sr_load_perr(p, "unknown money unit '%s' (yuan or fen)", unit);
        return false;
    }
    char intpart[32];
    size_t n = dot ? (size_t)(dot - num) : strlen(num);
    memcpy(intpart, num, n);
    intpart[n] = '\0';
    if (!sr_load_int(p, intpart, 0, SR_MONEY_MAX / 100, &whole))
        return false;
    if (dot) {
        const char *c = dot + 1;
        if (strlen(c) < 1 || strlen(c) > 2 || !isdigit((unsigned char)c[0]) ||
            (c[1] && !isdigit((unsigned char)c[1]))) {
            sr_load_perr(p, "'%s': at most two decimals", num);
            return false;
        }
        cents = (c[0] - '0') * 10 + (c[1] ? c[1] - '0' : 0);
    }
    *out = whole * 100 + cents;
    return true;
}

bool sr_load_bool(struct parser *p, const char *value, bool *out)
{
    if (strcmp(value, "yes") == 0)
        *out = true;
    else if (strcmp(value, "no") == 0)
        *out = false;
    else {
        sr_load_perr(p, "'%s' must be yes or no", value);
        return false;
    }
    return true;
}

bool sr_load_required(struct parser *p, const char *value, bool *out)
{
    if (strcmp(value, "required") == 0)
        *out = true;
    else if (strcmp(value, "none") == 0 || strcmp(value, "optional") == 0)
        *out = false;
    else {
        sr_load_perr(p, "'%s' must be required, optional or none", value);
        return false;
    }
    return true;
}

bool sr_load_kind(const char *t, int *o)
{
    enum sr_kind k;
    if (!sr_kind_parse(t, &k) || k == SR_KIND_NONE)
        return false;
    *o = (int)k;
    return true;
}
bool sr_load_level(const char *t, int *o)
{
    enum sr_level v;
    if (!sr_level_parse(t, &v))
        return false;
    *o = (int)v;
    return true;
}
bool sr_load_variant(const char *t, int *o)
{
    enum sr_variant v;
    if (!sr_variant_parse(t, &v))
        return false;
    *o = (int)v;
    return true;
}
bool sr_load_cert(const char *t, int *o)
{
    enum sr_cert_kind v;
    if (!sr_cert_kind_parse(t, &v) || v == SR_CERT_NONE)
        return false;
    *o = (int)v;
    return true;
}
bool sr_load_level_some(const char *t, int *o)
{
    return sr_load_level(t, o) && *o != SR_LEVEL_NONE;
}
bool sr_load_issuer(const char *t, int *o)
{
    enum sr_issuer v;
    if (!sr_issuer_parse(t, &v) || v == SR_ISSUER_UNKNOWN)
        return false;
    *o = (int)v;
    return true;
}
bool sr_load_payee(const char *t, int *o)
{
    enum sr_payee v;
    if (!sr_payee_parse(t, &v) || v == SR_PAYEE_NONE)
        return false;
    *o = (int)v;
    return true;
}
static bool group_p(const char *t, int *o)
{
    enum sr_group g;
    if (!sr_group_parse(t, &g))
        return false;
    *o = (int)g; /* a bit, not an index */
    return true;
}
bool sr_load_basis(const char *t, int *o)
{
    static const char *const names[] = {"hukou", "residence_permit", "employment",
                                        "unemployment_registration", "training"};
    for (int i = 0; i < 5; i++)
        if (strcmp(t, names[i]) == 0) {
            *o = i;
            return true;
        }
    return false;
}

/* Space-separated list of names into a bit set (1 << value), 64 bits wide. */
bool sr_load_set(struct parser *p, const char *value, enum_parser fn, const char *what,
                 uint64_t *out)
{
    char buf[SR_TEXT_LEN * 2];
    if (!sr_load_text(p, buf, sizeof buf, value))
        return false;
    uint64_t set = 0;
    bool ok = true;
    char *save = NULL;
    for (char *tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
        int v;
        if (!fn(tok, &v) || v < 0 || v > 63) {
            sr_load_perr(p, "unknown %s '%s'", what, tok);
            ok = false;
            continue;
        }
        set |= 1ull << v;
    }
    if (ok && !set) {
        sr_load_perr(p, "empty list of %s", what);
        ok = false;
    }
    *out = set;
    return ok;
}

/* Groups: "low_income zero_employment two_after_urban+dibao" = any of the terms, each term a
 * set of groups that must all hold. */
bool sr_load_group_terms(struct parser *p, const char *value, struct sr_rule *r)
{
    char buf[SR_TEXT_LEN * 2];
    if (!sr_load_text(p, buf, sizeof buf, value))
        return false;
    bool ok = true;
    char *save = NULL;
    r->group_term_count = 0;
    for (char *tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
        if (r->group_term_count == SR_MAX_GROUP_TERMS) {
            sr_load_perr(p, "at most %d group terms", SR_MAX_GROUP_TERMS);
            return false;
        }
        uint32_t term = 0;
        char *save2 = NULL;
        for (char *g = strtok_r(tok, "+", &save2); g; g = strtok_r(NULL, "+", &save2)) {
            int bit;
            if (!group_p(g, &bit)) {
                sr_load_perr(p, "unknown group '%s'", g);
                ok = false;
                continue;
            }
            term |= (uint32_t)bit;
        }
        r->group_terms[r->group_term_count++] = term;
    }
    return ok;
}

/* Space-separated group names into a set of enum sr_group bits. */
bool sr_load_group_bits(struct parser *p, const char *value, uint32_t *out)
{
    char buf[SR_TEXT_LEN];
    if (!sr_load_text(p, buf, sizeof buf, value))
        return false;
    bool ok = true;
    char *save = NULL;
    *out = 0;
    for (char *tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
        int bit;
        if (!group_p(tok, &bit)) {
            sr_load_perr(p, "unknown group '%s'", tok);
            ok = false;
            continue;
        }
        *out |= (uint32_t)bit;
    }
    return ok;
}

bool sr_load_money_or_catalog(struct parser *p, const char *value, bool *from_catalog, int64_t *fen)
{
    if (strcmp(value, "catalog") == 0) {
        *from_catalog = true;
        *fen = 0;
        return true;
    }
    *from_catalog = false;
    return sr_load_money(p, value, fen);
}

bool sr_load_name(struct parser *p, const char *value, const char *const *names, int count,
                  const char *what, int *out)
{
    for (int i = 0; i < count; i++)
        if (names[i] && strcmp(names[i], value) == 0) {
            *out = i;
            return true;
        }
    sr_load_perr(p, "unknown %s '%s'", what, value);
    return false;
}
