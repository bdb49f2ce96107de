/* Loading and checking policy files. The format (see README.md) is line-oriented:
 *
 *     # comment
 *     [policy]            one of policy, residency, limits, retirement, relatives, graduates,
 *     key = value         uplift NAME, rule NAME
 *
 * Every error is reported as `file:line: message`, all of them, not just the first. */
#include "rules_internal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct errors {
    char *buf;
    size_t len;
    size_t used;
    int count;
};

static void add_error(struct errors *e, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add_error(struct errors *e, const char *file, int line, const char *fmt, ...)
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

enum block {
    B_NONE = 0,
    B_POLICY,
    B_RESIDENCY,
    B_LIMITS,
    B_RETIREMENT,
    B_RELATIVES,
    B_GRADUATES,
    B_UPLIFT,
    B_RULE,
    B_COUNT
};

static const char *const block_names[B_COUNT] = {
    [B_NONE] = "",
    [B_POLICY] = "policy",
    [B_RESIDENCY] = "residency",
    [B_LIMITS] = "limits",
    [B_RETIREMENT] = "retirement",
    [B_RELATIVES] = "relatives",
    [B_GRADUATES] = "graduates",
    [B_UPLIFT] = "uplift",
    [B_RULE] = "rule",
};

/* Keys of each block; a trailing '!' marks a required key. */
static const char *const policy_keys[] = {
    "id!",
    "version!",
    "title!",
    "source!",
    "city!",
    "issued",
    "effective_from!",
    "effective_to!",
    "back_reach_from",
    "back_reach_to",
    "section!",
    "reading",
    NULL,
};
static const char *const residency_keys[] = {"section!", "bases!", "reading", NULL};
static const char *const limits_keys[] = {"section!", "per_year!", "same_occupation_level!",
                                          "reading", NULL};
static const char *const retirement_keys[] = {"section!", "past_retirement!", "reading", NULL};
static const char *const relatives_keys[] = {"section!", "relative_of_disabled", "relative_of_poor",
                                             "reading", NULL};
static const char *const graduates_keys[] = {"section!", "skill_kinds!", "entrepreneurship_kinds!",
                                             "reading", NULL};
static const char *const uplift_keys[] = {"section!",  "percent!", "until",   "applies_to!",
                                          "requires!", "not_with", "reading", NULL};
static const char *const rule_keys[] = {
    "kind!",
    "section!",
    "level",
    "variant",
    "renewal",
    "province",
    "certificate",
    "shortage",
    "employer",
    "person",
    "working_age",
    "payee!",
    "groups",
    "min_hours",
    "min_duration_months",
    "max_duration_months",
    "hire_window_months",
    "min_ui_months",
    "issuer",
    "certificate_from",
    "once_ever",
    "same_key",
    "once_per_year",
    "quota!",
    "max_units",
    "claim_window_years",
    "catalog",
    "catalog_level",
    "catalog_min",
    "catalog_max",
    "advance_max",
    "advance_payees",
    "date_basis!",
    "unit",
    "rate",
    "cap",
    "by_actual",
    "fee_share",
    "uplift",
    "reading",
    NULL,
};

static const char *const *const block_keys[B_COUNT] = {
    [B_POLICY] = policy_keys,       [B_RESIDENCY] = residency_keys,
    [B_LIMITS] = limits_keys,       [B_RETIREMENT] = retirement_keys,
    [B_RELATIVES] = relatives_keys, [B_GRADUATES] = graduates_keys,
    [B_UPLIFT] = uplift_keys,       [B_RULE] = rule_keys,
};

/* Index of `key` in the block's table, or -1. */
static int key_index(enum block b, const char *key)
{
    const char *const *keys = block_keys[b];
    for (int i = 0; keys[i]; i++) {
        size_t n = strlen(keys[i]);
        if (keys[i][n - 1] == '!')
            n--;
        if (strlen(key) == n && strncmp(keys[i], key, n) == 0)
            return i;
    }
    return -1;
}

struct parser {
    const char *file;
    int line;
    struct errors *err;
    struct sr_policy *policy;
    enum block block;
    int block_line;
    uint64_t seen; /* keys seen in the current block */
    bool seen_block[B_COUNT];
    bool any_block;
    struct sr_rule *rule;     /* current rule, when block == B_RULE */
    struct sr_uplift *uplift; /* current uplift */
    size_t rule_cap;
};

static void perr(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void perr(struct parser *p, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    add_error(p->err, p->file, p->line, "%s", msg);
}

static char *trim(char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

static bool copy_text(struct parser *p, char *dst, size_t size, const char *value)
{
    if (strlen(value) >= size) {
        perr(p, "value too long (at most %zu bytes)", size - 1);
        return false;
    }
    memcpy(dst, value, strlen(value) + 1);
    return true;
}

static bool parse_int(struct parser *p, const char *value, int64_t lo, int64_t hi, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(value, &end, 10);
    if (errno || end == value || *end != '\0' || !isdigit((unsigned char)value[0])) {
        perr(p, "'%s' is not a whole number", value);
        return false;
    }
    if (v < lo || v > hi) {
        perr(p, "%lld is outside %lld..%lld", v, (long long)lo, (long long)hi);
        return false;
    }
    *out = v;
    return true;
}

static bool parse_i32(struct parser *p, const char *value, int64_t lo, int64_t hi, int32_t *out)
{
    int64_t v;
    if (!parse_int(p, value, lo, hi, &v))
        return false;
    *out = (int32_t)v;
    return true;
}

static bool parse_date(struct parser *p, const char *value, int32_t *out)
{
    if (!sr_day_parse(value, out)) {
        perr(p, "'%s' is not a date YYYY-MM-DD", value);
        return false;
    }
    return true;
}

/* Money is written with its unit: "1200 yuan", "35.50 yuan" or "120000 fen". */
static bool parse_money(struct parser *p, const char *value, int64_t *out)
{
    char num[32], unit[8], extra[2];
    if (sscanf(value, "%31s %7s %1s", num, unit, extra) != 2) {
        perr(p, "money '%s' must be '<amount> yuan' or '<amount> fen'", value);
        return false;
    }
    int64_t whole = 0, cents = 0;
    const char *dot = strchr(num, '.');
    if (strcmp(unit, "fen") == 0) {
        if (dot || !parse_int(p, num, 0, SR_MONEY_MAX, &whole))
            return dot ? (perr(p, "fen are whole numbers: '%s'", num), false) : false;
        *out = whole;
        return true;
    }
    if (strcmp(unit, "yuan") != 0) {
        perr(p, "unknown money unit '%s' (yuan or fen)", unit);
        return false;
    }
    char intpart[32];
    size_t n = dot ? (size_t)(dot - num) : strlen(num);
    memcpy(intpart, num, n);
    intpart[n] = '\0';
    if (!parse_int(p, intpart, 0, SR_MONEY_MAX / 100, &whole))
        return false;
    if (dot) {
        const char *c = dot + 1;
        if (strlen(c) < 1 || strlen(c) > 2 || !isdigit((unsigned char)c[0]) ||
            (c[1] && !isdigit((unsigned char)c[1]))) {
            perr(p, "'%s': at most two decimals", num);
            return false;
        }
        cents = (c[0] - '0') * 10 + (c[1] ? c[1] - '0' : 0);
    }
    *out = whole * 100 + cents;
    return true;
}

static bool parse_bool(struct parser *p, const char *value, bool *out)
{
    if (strcmp(value, "yes") == 0)
        *out = true;
    else if (strcmp(value, "no") == 0)
        *out = false;
    else {
        perr(p, "'%s' must be yes or no", value);
        return false;
    }
    return true;
}

static bool parse_required(struct parser *p, const char *value, bool *out)
{
    if (strcmp(value, "required") == 0)
        *out = true;
    else if (strcmp(value, "none") == 0 || strcmp(value, "optional") == 0)
        *out = false;
    else {
        perr(p, "'%s' must be required, optional or none", value);
        return false;
    }
    return true;
}

typedef bool (*enum_parser)(const char *, int *);

static bool kind_p(const char *t, int *o)
{
    enum sr_kind k;
    if (!sr_kind_parse(t, &k) || k == SR_KIND_NONE)
        return false;
    *o = (int)k;
    return true;
}
static bool level_p(const char *t, int *o)
{
    enum sr_level v;
    if (!sr_level_parse(t, &v))
        return false;
    *o = (int)v;
    return true;
}
static bool variant_p(const char *t, int *o)
{
    enum sr_variant v;
    if (!sr_variant_parse(t, &v))
        return false;
    *o = (int)v;
    return true;
}
static bool cert_p(const char *t, int *o)
{
    enum sr_cert_kind v;
    if (!sr_cert_kind_parse(t, &v) || v == SR_CERT_NONE)
        return false;
    *o = (int)v;
    return true;
}
static bool payee_p(const char *t, int *o)
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
static bool basis_p(const char *t, int *o)
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
static bool parse_set(struct parser *p, const char *value, enum_parser fn, const char *what,
                      uint64_t *out)
{
    char buf[SR_TEXT_LEN * 2];
    if (!copy_text(p, buf, sizeof buf, value))
        return false;
    uint64_t set = 0;
    bool ok = true;
    char *save = NULL;
    for (char *tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
        int v;
        if (!fn(tok, &v) || v < 0 || v > 63) {
            perr(p, "unknown %s '%s'", what, tok);
            ok = false;
            continue;
        }
        set |= 1ull << v;
    }
    if (ok && !set) {
        perr(p, "empty list of %s", what);
        ok = false;
    }
    *out = set;
    return ok;
}

static bool parse_set32(struct parser *p, const char *value, enum_parser fn, const char *what,
                        uint32_t *out)
{
    uint64_t v;
    bool ok = parse_set(p, value, fn, what, &v);
    *out = (uint32_t)v;
    return ok;
}

/* Groups: "low_income zero_employment two_after_urban+dibao" = any of the terms, each term a
 * set of groups that must all hold. */
static bool parse_group_terms(struct parser *p, const char *value, struct sr_rule *r)
{
    char buf[SR_TEXT_LEN * 2];
    if (!copy_text(p, buf, sizeof buf, value))
        return false;
    bool ok = true;
    char *save = NULL;
    r->group_term_count = 0;
    for (char *tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
        if (r->group_term_count == SR_MAX_GROUP_TERMS) {
            perr(p, "at most %d group terms", SR_MAX_GROUP_TERMS);
            return false;
        }
        uint32_t term = 0;
        char *save2 = NULL;
        for (char *g = strtok_r(tok, "+", &save2); g; g = strtok_r(NULL, "+", &save2)) {
            int bit;
            if (!group_p(g, &bit)) {
                perr(p, "unknown group '%s'", g);
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
static bool parse_group_bits(struct parser *p, const char *value, uint32_t *out)
{
    char buf[SR_TEXT_LEN];
    if (!copy_text(p, buf, sizeof buf, value))
        return false;
    bool ok = true;
    char *save = NULL;
    *out = 0;
    for (char *tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
        int bit;
        if (!group_p(tok, &bit)) {
            perr(p, "unknown group '%s'", tok);
            ok = false;
            continue;
        }
        *out |= (uint32_t)bit;
    }
    return ok;
}

static bool parse_money_or_catalog(struct parser *p, const char *value, bool *from_catalog,
                                   int64_t *fen)
{
    if (strcmp(value, "catalog") == 0) {
        *from_catalog = true;
        *fen = 0;
        return true;
    }
    *from_catalog = false;
    return parse_money(p, value, fen);
}

static bool parse_enum_name(struct parser *p, const char *value, const char *const *names,
                            int count, const char *what, int *out)
{
    for (int i = 0; i < count; i++)
        if (names[i] && strcmp(names[i], value) == 0) {
            *out = i;
            return true;
        }
    perr(p, "unknown %s '%s'", what, value);
    return false;
}

static void add_reading(struct parser *p, const char *value)
{
    struct sr_policy *pol = p->policy;
    char **grown = realloc(pol->readings, (pol->reading_count + 1) * sizeof *grown);
    if (!grown) {
        perr(p, "out of memory");
        return;
    }
    pol->readings = grown;
    const char *where = block_names[p->block];
    const char *name = p->block == B_RULE ? p->rule->id : p->block == B_UPLIFT ? p->uplift->id : "";
    size_t n = strlen(where) + strlen(name) + strlen(value) + 8;
    char *text = malloc(n);
    if (!text) {
        perr(p, "out of memory");
        return;
    }
    snprintf(text, n, "[%s%s%s] %s", where, *name ? " " : "", name, value);
    pol->readings[pol->reading_count++] = text;
}

static void policy_key(struct parser *p, const char *key, const char *v)
{
    struct sr_policy *pol = p->policy;
    int64_t n;
    if (strcmp(key, "id") == 0)
        copy_text(p, pol->id, sizeof pol->id, v);
    else if (strcmp(key, "version") == 0) {
        if (parse_int(p, v, 1, 1000000, &n))
            pol->version = (int)n;
    } else if (strcmp(key, "title") == 0)
        copy_text(p, pol->title, sizeof pol->title, v);
    else if (strcmp(key, "source") == 0)
        copy_text(p, pol->source, sizeof pol->source, v);
    else if (strcmp(key, "city") == 0)
        parse_i32(p, v, 100000, 999999, &pol->region);
    else if (strcmp(key, "issued") == 0)
        parse_date(p, v, &pol->issued);
    else if (strcmp(key, "effective_from") == 0) {
        parse_date(p, v, &pol->from);
        pol->line = p->line; /* where date conflicts are reported */
    } else if (strcmp(key, "effective_to") == 0)
        parse_date(p, v, &pol->to);
    else if (strcmp(key, "back_reach_from") == 0)
        parse_date(p, v, &pol->back_from);
    else if (strcmp(key, "back_reach_to") == 0)
        parse_date(p, v, &pol->back_to);
    else if (strcmp(key, "section") == 0)
        copy_text(p, pol->dates_section, sizeof pol->dates_section, v);
}

static void residency_key(struct parser *p, const char *key, const char *v)
{
    struct sr_policy *pol = p->policy;
    if (strcmp(key, "section") == 0)
        copy_text(p, pol->residency_section, sizeof pol->residency_section, v);
    else if (strcmp(key, "bases") == 0)
        parse_set32(p, v, basis_p, "residency basis", &pol->residency_bases);
}

static void limits_key(struct parser *p, const char *key, const char *v)
{
    struct sr_policy *pol = p->policy;
    if (strcmp(key, "section") == 0)
        copy_text(p, pol->limits_section, sizeof pol->limits_section, v);
    else if (strcmp(key, "per_year") == 0)
        parse_i32(p, v, 1, 100, &pol->per_year);
    else if (strcmp(key, "same_occupation_level") == 0) {
        if (strcmp(v, "once") == 0)
            pol->once_per_occupation_level = true;
        else if (strcmp(v, "unlimited") != 0)
            perr(p, "same_occupation_level must be once or unlimited");
    }
}

static void retirement_key(struct parser *p, const char *key, const char *v)
{
    struct sr_policy *pol = p->policy;
    if (strcmp(key, "section") == 0)
        copy_text(p, pol->retirement_section, sizeof pol->retirement_section, v);
    else if (strcmp(key, "past_retirement") == 0) {
        if (strcmp(v, "covered_without_pension") == 0)
            pol->retired_no_pension_covered = true;
        else if (strcmp(v, "not_covered") != 0)
            perr(p, "past_retirement must be covered_without_pension or not_covered");
    }
}

static void relatives_key(struct parser *p, const char *key, const char *v)
{
    struct sr_policy *pol = p->policy;
    if (strcmp(key, "section") == 0)
        copy_text(p, pol->relatives_section, sizeof pol->relatives_section, v);
    else if (strcmp(key, "relative_of_disabled") == 0)
        parse_group_bits(p, v, &pol->relative_of_disabled_as);
    else if (strcmp(key, "relative_of_poor") == 0)
        parse_group_bits(p, v, &pol->relative_of_poor_as);
}

static void graduates_key(struct parser *p, const char *key, const char *v)
{
    struct sr_policy *pol = p->policy;
    if (strcmp(key, "section") == 0)
        copy_text(p, pol->graduates_section, sizeof pol->graduates_section, v);
    else if (strcmp(key, "skill_kinds") == 0)
        parse_set(p, v, kind_p, "kind", &pol->graduate_skill_kinds);
    else if (strcmp(key, "entrepreneurship_kinds") == 0)
        parse_set(p, v, kind_p, "kind", &pol->graduate_entrepreneurship_kinds);
}

static void uplift_key(struct parser *p, const char *key, const char *v)
{
    struct sr_uplift *u = p->uplift;
    if (strcmp(key, "section") == 0)
        copy_text(p, u->section, sizeof u->section, v);
    else if (strcmp(key, "percent") == 0)
        parse_i32(p, v, 1, 100, &u->percent);
    else if (strcmp(key, "until") == 0)
        parse_date(p, v, &u->until);
    else if (strcmp(key, "applies_to") == 0)
        parse_set(p, v, kind_p, "kind", &u->kind_mask);
    else if (strcmp(key, "requires") == 0) {
        if (strcmp(v, "employer_trade_friction") != 0)
            perr(p, "requires must be employer_trade_friction");
    } else if (strcmp(key, "not_with") == 0) {
        if (strcmp(v, "shortage") == 0)
            u->not_with_shortage = true;
        else
            perr(p, "not_with must be shortage");
    }
}

static void rule_key(struct parser *p, const char *key, const char *v)
{
    struct sr_rule *r = p->rule;
    int e;
    bool b;
    if (strcmp(key, "kind") == 0) {
        if (kind_p(v, &e))
            r->kind = (enum sr_kind)e;
        else
            perr(p, "unknown kind '%s'", v);
    } else if (strcmp(key, "section") == 0)
        copy_text(p, r->section, sizeof r->section, v);
    else if (strcmp(key, "level") == 0)
        parse_set32(p, v, level_p, "level", &r->level_mask);
    else if (strcmp(key, "variant") == 0)
        parse_set32(p, v, variant_p, "variant", &r->variant_mask);
    else if (strcmp(key, "renewal") == 0) {
        if (parse_bool(p, v, &b))
            r->renewal = b ? 1 : 0;
    } else if (strcmp(key, "province") == 0) {
        if (strcmp(v, "in") == 0)
            r->province = 0;
        else if (strcmp(v, "out") == 0)
            r->province = 1;
        else
            perr(p, "province must be in or out");
    } else if (strcmp(key, "certificate") == 0)
        parse_set32(p, v, cert_p, "certificate kind", &r->cert_mask);
    else if (strcmp(key, "shortage") == 0)
        parse_required(p, v, &r->shortage_required);
    else if (strcmp(key, "employer") == 0)
        parse_required(p, v, &r->employer_required);
    else if (strcmp(key, "person") == 0)
        parse_required(p, v, &r->person_required);
    else if (strcmp(key, "working_age") == 0)
        parse_required(p, v, &r->working_age_required);
    else if (strcmp(key, "payee") == 0)
        parse_set32(p, v, payee_p, "payee", &r->payee_mask);
    else if (strcmp(key, "groups") == 0)
        parse_group_terms(p, v, r);
    else if (strcmp(key, "min_hours") == 0)
        parse_i32(p, v, 1, 10000, &r->min_hours);
    else if (strcmp(key, "min_duration_months") == 0)
        parse_i32(p, v, 1, 120, &r->min_duration_months);
    else if (strcmp(key, "max_duration_months") == 0)
        parse_i32(p, v, 1, 120, &r->max_duration_months);
    else if (strcmp(key, "hire_window_months") == 0)
        parse_i32(p, v, 1, 120, &r->hire_window_months);
    else if (strcmp(key, "min_ui_months") == 0)
        parse_i32(p, v, 1, 600, &r->min_ui_months);
    else if (strcmp(key, "issuer") == 0) {
        enum sr_issuer is;
        if (sr_issuer_parse(v, &is) && is != SR_ISSUER_UNKNOWN)
            r->min_issuer = is;
        else
            perr(p, "unknown issuer level '%s'", v);
    } else if (strcmp(key, "certificate_from") == 0)
        parse_date(p, v, &r->certificate_from);
    else if (strcmp(key, "once_ever") == 0)
        parse_bool(p, v, &r->once_ever);
    else if (strcmp(key, "same_key") == 0) {
        static const char *const keys[] = {"occupation_level", "kind", "kind_variant", "none"};
        size_t k = 0;
        while (k < 4 && strcmp(v, keys[k]) != 0)
            k++;
        if (k < 4)
            r->same_key = (enum sr_same_key)k;
        else
            perr(p, "same_key must be occupation_level, kind, kind_variant or none");
    } else if (strcmp(key, "once_per_year") == 0)
        parse_bool(p, v, &r->once_per_year);
    else if (strcmp(key, "quota") == 0)
        parse_bool(p, v, &r->quota);
    else if (strcmp(key, "max_units") == 0)
        parse_i32(p, v, 1, 1000, &r->max_units);
    else if (strcmp(key, "claim_window_years") == 0)
        parse_i32(p, v, 1, 50, &r->claim_window_years);
    else if (strcmp(key, "catalog") == 0) {
        if (strcmp(v, "occupation_level") == 0)
            r->catalog_match = SR_CATALOG_OCCUPATION_LEVEL;
        else if (strcmp(v, "year_only") == 0)
            r->catalog_match = SR_CATALOG_YEAR_ONLY;
        else
            perr(p, "catalog must be occupation_level or year_only");
    } else if (strcmp(key, "catalog_level") == 0) {
        if (level_p(v, &e) && e != SR_LEVEL_NONE)
            r->catalog_level = (enum sr_level)e;
        else
            perr(p, "unknown level '%s'", v);
    } else if (strcmp(key, "catalog_min") == 0)
        parse_money(p, v, &r->catalog_min_fen);
    else if (strcmp(key, "catalog_max") == 0)
        parse_money(p, v, &r->catalog_max_fen);
    else if (strcmp(key, "advance_max") == 0)
        parse_i32(p, v, 1, 100, &r->advance_max_pct);
    else if (strcmp(key, "advance_payees") == 0)
        parse_set32(p, v, payee_p, "payee", &r->advance_payee_mask);
    else if (strcmp(key, "date_basis") == 0) {
        if (parse_enum_name(p, v, sr_basis_names, SR_BASIS_COUNT, "date basis", &e))
            r->date_basis = (enum sr_date_basis)e;
    } else if (strcmp(key, "unit") == 0) {
        if (parse_enum_name(p, v, sr_unit_names, SR_UNIT_COUNT, "unit", &e))
            r->unit = (enum sr_unit)e;
    } else if (strcmp(key, "rate") == 0)
        parse_money_or_catalog(p, v, &r->rate_from_catalog, &r->rate_fen);
    else if (strcmp(key, "cap") == 0)
        parse_money_or_catalog(p, v, &r->cap_from_catalog, &r->cap_fen);
    else if (strcmp(key, "by_actual") == 0)
        parse_bool(p, v, &r->by_actual);
    else if (strcmp(key, "fee_share") == 0)
        parse_i32(p, v, 1, 100, &r->fee_share_pct);
    else if (strcmp(key, "uplift") == 0)
        parse_i32(p, v, 1, 100, &r->uplift_pct);
}

/* Checks at the end of a block: required keys and consistency. */
static void end_block(struct parser *p)
{
    if (p->block == B_NONE)
        return;
    const char *const *keys = block_keys[p->block];
    int saved = p->line;
    p->line = p->block_line;
    for (int i = 0; keys[i]; i++) {
        size_t n = strlen(keys[i]);
        if (keys[i][n - 1] == '!' && !(p->seen & (1ull << i)))
            perr(p, "[%s] lacks required key '%.*s'", block_names[p->block], (int)(n - 1), keys[i]);
    }
    if (p->block == B_RULE) {
        struct sr_rule *r = p->rule;
        bool has_rate = p->seen & (1ull << key_index(B_RULE, "rate"));
        bool has_cap = p->seen & (1ull << key_index(B_RULE, "cap"));
        if (!has_rate && !has_cap)
            perr(p, "[rule %s] needs a rate or a cap", r->id);
        if (!has_rate && r->unit != SR_UNIT_CLAIM)
            perr(p, "[rule %s] has a unit but no rate", r->id);
        if (r->fee_share_pct && !has_rate)
            perr(p, "[rule %s] fee_share needs a rate (the floor)", r->id);
        if ((r->rate_from_catalog || r->cap_from_catalog || r->shortage_required ||
             r->catalog_level) &&
            r->catalog_match == SR_CATALOG_NOT_USED)
            r->catalog_match = SR_CATALOG_OCCUPATION_LEVEL;
        if (r->catalog_match == SR_CATALOG_NOT_USED && (r->catalog_min_fen || r->catalog_max_fen))
            perr(p, "[rule %s] catalog_min/max without a catalog figure", r->id);
        if (r->advance_max_pct && !r->advance_payee_mask)
            perr(p, "[rule %s] advance_max needs advance_payees", r->id);
        if (r->date_basis == SR_BASIS_CERTIFICATE && !r->cert_mask)
            perr(p, "[rule %s] date_basis certificate needs a certificate list", r->id);
        if (r->claim_window_years && !r->cert_mask)
            perr(p, "[rule %s] claim_window_years counts from a certificate", r->id);
        if (r->max_units && r->unit == SR_UNIT_CLAIM)
            perr(p, "[rule %s] max_units without a unit", r->id);
        r->formula = r->fee_share_pct              ? "fee_share"
                     : r->unit == SR_UNIT_HOUR     ? "per_hour"
                     : r->unit == SR_UNIT_DAY      ? "per_day"
                     : r->unit == SR_UNIT_MONTH    ? "per_month"
                     : r->unit == SR_UNIT_SEMESTER ? "per_semester"
                     : r->unit == SR_UNIT_YEAR     ? "per_year"
                     : r->by_actual                ? "actual_capped"
                     : r->rate_from_catalog        ? "catalog_standard"
                                                   : "fixed";
    }
    p->line = saved;
}

static void begin_block(struct parser *p, char *header)
{
    char *name = trim(header);
    char *space = strpbrk(name, " \t");
    char *arg = NULL;
    if (space) {
        *space = '\0';
        arg = trim(space + 1);
    }
    int b = -1;
    for (int i = 1; i < B_COUNT; i++)
        if (strcmp(name, block_names[i]) == 0)
            b = i;
    p->seen = 0;
    p->block_line = p->line;
    p->any_block = true;
    if (b < 0) {
        perr(p, "unknown section [%s]", name);
        p->block = B_NONE;
        return;
    }
    bool named = b == B_RULE || b == B_UPLIFT;
    if (named != (arg && *arg)) {
        perr(p, named ? "[%s] needs a name" : "[%s] takes no name", name);
        p->block = B_NONE;
        return;
    }
    if (!named && p->seen_block[b]) {
        perr(p, "section [%s] appears twice", name);
        p->block = B_NONE;
        return;
    }
    p->seen_block[b] = true;
    p->block = (enum block)b;
    struct sr_policy *pol = p->policy;
    if (b == B_RULE) {
        for (size_t i = 0; i < pol->rule_count; i++)
            if (strcmp(pol->rules[i].id, arg) == 0)
                perr(p, "rule '%s' defined twice (first at line %d)", arg, pol->rules[i].line);
        if (pol->rule_count == p->rule_cap) {
            size_t cap = p->rule_cap ? p->rule_cap * 2 : 16;
            struct sr_rule *grown = realloc(pol->rules, cap * sizeof *grown);
            if (!grown) {
                perr(p, "out of memory");
                p->block = B_NONE;
                return;
            }
            pol->rules = grown;
            p->rule_cap = cap;
        }
        struct sr_rule *r = &pol->rules[pol->rule_count++];
        memset(r, 0, sizeof *r);
        r->renewal = -1;
        r->province = -1;
        r->person_required = true;
        r->line = p->line;
        copy_text(p, r->id, sizeof r->id, arg);
        p->rule = r;
    } else if (b == B_UPLIFT) {
        if (pol->uplift_count == SR_MAX_UPLIFTS) {
            perr(p, "at most %d uplifts", SR_MAX_UPLIFTS);
            p->block = B_NONE;
            return;
        }
        struct sr_uplift *u = &pol->uplifts[pol->uplift_count++];
        memset(u, 0, sizeof *u);
        copy_text(p, u->id, sizeof u->id, arg);
        p->uplift = u;
    }
}

static void handle_line(struct parser *p, char *raw)
{
    char *line = trim(raw);
    if (!*line || *line == '#')
        return;
    if (*line == '[') {
        char *close = strchr(line, ']');
        if (!close || trim(close + 1)[0] != '\0') {
            perr(p, "malformed section header");
            p->block = B_NONE;
            return;
        }
        *close = '\0';
        end_block(p);
        begin_block(p, line + 1);
        return;
    }
    char *eq = strchr(line, '=');
    if (!eq) {
        perr(p, "expected 'key = value'");
        return;
    }
    *eq = '\0';
    char *key = trim(line);
    char *value = trim(eq + 1);
    if (p->block == B_NONE) {
        if (!p->any_block)
            perr(p, "key '%s' outside any section", key);
        return; /* inside a broken section header: already reported */
    }
    int k = key_index(p->block, key);
    if (k < 0) {
        perr(p, "unknown key '%s' in [%s]", key, block_names[p->block]);
        return;
    }
    if (!*value) {
        perr(p, "key '%s' has no value", key);
        return;
    }
    if (strcmp(key, "reading") == 0) {
        add_reading(p, value);
        return;
    }
    if (p->seen & (1ull << k)) {
        perr(p, "key '%s' given twice in this section", key);
        return;
    }
    p->seen |= 1ull << k;
    switch (p->block) {
    case B_POLICY:
        policy_key(p, key, value);
        break;
    case B_RESIDENCY:
        residency_key(p, key, value);
        break;
    case B_LIMITS:
        limits_key(p, key, value);
        break;
    case B_RETIREMENT:
        retirement_key(p, key, value);
        break;
    case B_RELATIVES:
        relatives_key(p, key, value);
        break;
    case B_GRADUATES:
        graduates_key(p, key, value);
        break;
    case B_UPLIFT:
        uplift_key(p, key, value);
        break;
    case B_RULE:
        rule_key(p, key, value);
        break;
    default:
        break;
    }
}

static void policy_free(struct sr_policy *pol)
{
    if (!pol)
        return;
    for (size_t i = 0; i < pol->reading_count; i++)
        free(pol->readings[i]);
    free(pol->readings);
    free(pol->rules);
    free(pol);
}

/* Parses one file; returns the policy (possibly with errors counted in err) or NULL. */
static struct sr_policy *load_file(const char *path, struct errors *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        add_error(err, path, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct sr_policy *pol = calloc(1, sizeof *pol);
    if (!pol) {
        fclose(f);
        add_error(err, path, 0, "out of memory");
        return NULL;
    }
    snprintf(pol->file, sizeof pol->file, "%s", path);
    struct parser p = {.file = path, .err = err, .policy = pol};
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) >= 0) {
        p.line++;
        if (memchr(line, '\0', (size_t)n)) {
            perr(&p, "NUL byte in line");
            continue;
        }
        handle_line(&p, line);
    }
    free(line);
    fclose(f);
    end_block(&p);
    p.line = p.line ? p.line : 1;
    static const enum block required[] = {B_POLICY, B_RESIDENCY, B_LIMITS};
    for (size_t i = 0; i < COUNT(required); i++)
        if (!p.seen_block[required[i]])
            perr(&p, "missing section [%s]", block_names[required[i]]);
    if (!p.seen_block[B_RULE])
        perr(&p, "no [rule ...] section");
    if (pol->from && pol->to && pol->from > pol->to)
        perr(&p, "effective_from is after effective_to");
    if ((pol->back_from == SR_NO_DATE) != (pol->back_to == SR_NO_DATE))
        perr(&p, "back_reach_from and back_reach_to go together");
    if (pol->back_from && (pol->back_from > pol->back_to || pol->back_to >= pol->from))
        perr(&p, "the back-reach must be a range before effective_from");
    if (!pol->line)
        pol->line = 1;
    for (size_t i = 0; i < pol->rule_count; i++)
        if (pol->rules[i].quota)
            pol->quota_kinds |= 1ull << pol->rules[i].kind;
    return pol;
}

static int32_t range_start(const struct sr_policy *pol)
{
    return pol->back_from ? pol->back_from : pol->from;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int sr_policy_set_load_files(const char *const *paths, size_t count, struct sr_policy_set **out,
                             char *errbuf, size_t errlen)
{
    struct errors err = {.buf = errbuf, .len = errlen};
    if (errbuf && errlen)
        errbuf[0] = '\0';
    *out = NULL;
    struct sr_policy_set *set = calloc(1, sizeof *set);
    if (!set)
        return -1;
    set->policies = calloc(count ? count : 1, sizeof *set->policies);
    if (!set->policies) {
        free(set);
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        struct sr_policy *pol = load_file(paths[i], &err);
        if (pol)
            set->policies[set->count++] = pol;
    }
    if (count == 0)
        add_error(&err, "(policies)", 0, "no policy files");
    /* across files: same id and version twice; overlapping dates for the same area */
    for (size_t i = 0; i < set->count; i++)
        for (size_t j = i + 1; j < set->count; j++) {
            const struct sr_policy *a = set->policies[i], *b = set->policies[j];
            if (strcmp(a->id, b->id) == 0 && a->version == b->version)
                add_error(&err, b->file, b->line, "policy %s version %d also in %s", b->id,
                          b->version, a->file);
            if (!a->from || !b->from || !a->to || !b->to)
                continue;
            bool same_area =
                sr_region_within(a->region, b->region) || sr_region_within(b->region, a->region);
            if (same_area && range_start(a) <= b->to && range_start(b) <= a->to)
                add_error(&err, b->file, b->line,
                          "effective dates of %s overlap those of %s (%s) for region %d", b->id,
                          a->id, a->file, (int)b->region);
        }
    if (err.count) {
        sr_policy_set_free(set);
        return -1;
    }
    *out = set;
    return 0;
}

int sr_policy_set_load_dir(const char *dir, struct sr_policy_set **out, char *errbuf, size_t errlen)
{
    *out = NULL;
    DIR *d = opendir(dir);
    if (!d) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "%s:0: cannot open directory: %s", dir, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    int rc = -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 8 || strcmp(e->d_name + n - 7, ".policy") != 0 || e->d_name[0] == '.')
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 8;
            char **grown = realloc(names, cap * sizeof *grown);
            if (!grown)
                goto done;
            names = grown;
        }
        size_t len = strlen(dir) + n + 2;
        names[count] = malloc(len);
        if (!names[count])
            goto done;
        snprintf(names[count], len, "%s/%s", dir, e->d_name);
        count++;
    }
    qsort(names, count, sizeof *names, name_cmp);
    rc = sr_policy_set_load_files((const char *const *)names, count, out, errbuf, errlen);
done:
    closedir(d);
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    return rc;
}

void sr_policy_set_free(struct sr_policy_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->count; i++)
        policy_free(set->policies[i]);
    free(set->policies);
    free(set);
}

size_t sr_policy_set_count(const struct sr_policy_set *set)
{
    return set ? set->count : 0;
}

const struct sr_policy *sr_policy_set_at(const struct sr_policy_set *set, size_t i)
{
    return set && i < set->count ? set->policies[i] : NULL;
}

const struct sr_policy *sr_policy_set_find(const struct sr_policy_set *set, const char *id)
{
    const struct sr_policy *best = NULL;
    for (size_t i = 0; set && id && i < set->count; i++)
        if (strcmp(set->policies[i]->id, id) == 0 &&
            (!best || set->policies[i]->version > best->version))
            best = set->policies[i];
    return best;
}

const struct sr_policy *sr_policy_set_find_for(const struct sr_policy_set *set, int32_t region,
                                               int32_t day)
{
    for (size_t i = 0; set && i < set->count; i++) {
        const struct sr_policy *pol = set->policies[i];
        if (sr_region_within(region, pol->region) && day >= range_start(pol) && day <= pol->to)
            return pol;
    }
    return NULL;
}

const struct sr_policy *sr_policy_set_find_for_region(const struct sr_policy_set *set,
                                                      int32_t region)
{
    for (size_t i = 0; set && i < set->count; i++)
        if (sr_region_within(region, set->policies[i]->region))
            return set->policies[i];
    return NULL;
}

const char *sr_policy_id(const struct sr_policy *policy)
{
    return policy->id;
}

int sr_policy_version(const struct sr_policy *policy)
{
    return policy->version;
}

const char *sr_policy_title(const struct sr_policy *policy)
{
    return policy->title;
}

const char *sr_policy_source(const struct sr_policy *policy)
{
    return policy->source;
}

int32_t sr_policy_region(const struct sr_policy *policy)
{
    return policy->region;
}

int32_t sr_policy_effective_from(const struct sr_policy *policy)
{
    return policy->from;
}

int32_t sr_policy_effective_to(const struct sr_policy *policy)
{
    return policy->to;
}

bool sr_policy_has_kind(const struct sr_policy *policy, enum sr_kind kind)
{
    for (size_t i = 0; i < policy->rule_count; i++)
        if (policy->rules[i].kind == kind)
            return true;
    return false;
}

size_t sr_policy_reading_count(const struct sr_policy *policy)
{
    return policy->reading_count;
}

const char *sr_policy_reading(const struct sr_policy *policy, size_t i)
{
    return i < policy->reading_count ? policy->readings[i] : NULL;
}
