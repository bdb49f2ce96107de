/* Reader of the rule-case table files. Lines before the first `case` set the file's defaults;
 * each `case <section> <title>` starts a case from those defaults. */
#include "case_file.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct reader {
    const char *file;
    int line;
    char *err;
    size_t errlen;
    bool failed;
};

static void fail(struct reader *rd, const char *what, const char *value)
{
    if (!rd->failed)
        snprintf(rd->err, rd->errlen, "%s:%d: %s '%s'", rd->file, rd->line, what, value);
    rd->failed = true;
}

static char *trim(char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static bool money(const char *v, int64_t *out)
{
    char num[32], unit[8] = "fen";
    int n = sscanf(v, "%31s %7s", num, unit);
    if (n < 1)
        return false;
    char *end;
    if (strcmp(unit, "fen") == 0) {
        long long x = strtoll(num, &end, 10);
        if (*end)
            return false;
        *out = x;
        return true;
    }
    if (strcmp(unit, "yuan") != 0)
        return false;
    long long whole = strtoll(num, &end, 10);
    long long cents = 0;
    if (*end == '.') {
        const char *c = end + 1;
        if (!isdigit((unsigned char)c[0]))
            return false;
        cents = (c[0] - '0') * 10 + (isdigit((unsigned char)c[1]) ? c[1] - '0' : 0);
    } else if (*end) {
        return false;
    }
    *out = whole * 100 + (whole < 0 ? -cents : cents);
    return true;
}

static bool yes_no(const char *v, bool *out)
{
    if (strcmp(v, "yes") == 0)
        *out = true;
    else if (strcmp(v, "no") == 0)
        *out = false;
    else
        return false;
    return true;
}

static bool date(const char *v, int32_t *out)
{
    if (strcmp(v, "none") == 0) {
        *out = SR_NO_DATE;
        return true;
    }
    return sr_day_parse(v, out);
}

static bool integer(const char *v, int32_t *out)
{
    char *end;
    long x = strtol(v, &end, 10);
    if (end == v || *end)
        return false;
    *out = (int32_t)x;
    return true;
}

static void text(char *dst, size_t size, const char *v)
{
    snprintf(dst, size, "%s", strcmp(v, "-") == 0 ? "" : v);
}

static void set_key(struct reader *rd, struct rule_case *c, const char *key, char *v)
{
    bool ok = true;
    struct sr_claim *cl = &c->claim;
    if (strncmp(key, "person.", 7) == 0)
        c->has_person = true;
    else if (strncmp(key, "employer.", 9) == 0)
        c->has_employer = true;
    else if (strncmp(key, "catalog.", 8) == 0)
        c->has_catalog = true;
    if (strcmp(key, "policy") == 0)
        text(c->policy_id, sizeof c->policy_id, v);
    else if (strcmp(key, "today") == 0)
        ok = date(v, &c->today);
    else if (strcmp(key, "person") == 0)
        c->has_person = strcmp(v, "none") != 0;
    else if (strcmp(key, "person.id") == 0)
        text(c->person.id_number, sizeof c->person.id_number, v);
    else if (strcmp(key, "person.hukou") == 0)
        ok = integer(v, &c->person.hukou_region);
    else if (strcmp(key, "person.residence") == 0)
        ok = integer(v, &c->person.residence_region);
    else if (strcmp(key, "person.employment") == 0)
        ok = integer(v, &c->person.employment_region);
    else if (strcmp(key, "person.unemployment") == 0)
        ok = integer(v, &c->person.unemployment_region);
    else if (strcmp(key, "person.training") == 0)
        ok = integer(v, &c->person.training_region);
    else if (strcmp(key, "person.past_retirement") == 0)
        ok = yes_no(v, &c->person.past_retirement_age);
    else if (strcmp(key, "person.groups") == 0) {
        c->person.groups = 0;
        char *save = NULL;
        for (char *t = strtok_r(v, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
            enum sr_group g;
            if (strcmp(t, "none") == 0)
                continue;
            if (!sr_group_parse(t, &g))
                return fail(rd, "unknown group", t);
            c->person.groups |= (uint32_t)g;
        }
    } else if (strcmp(key, "employer") == 0)
        c->has_employer = strcmp(v, "none") != 0;
    else if (strcmp(key, "employer.code") == 0)
        text(c->employer.credit_code, sizeof c->employer.credit_code, v);
    else if (strcmp(key, "employer.friction") == 0)
        ok = yes_no(v, &c->employer.trade_friction_listed);
    else if (strcmp(key, "employer.friction_from") == 0)
        ok = date(v, &c->employer.trade_friction_from);
    else if (strcmp(key, "employer.friction_to") == 0)
        ok = date(v, &c->employer.trade_friction_to);
    else if (strcmp(key, "employer.ui_months") == 0)
        ok = integer(v, &c->employer.ui_months);
    else if (strcmp(key, "employer.hire_date") == 0)
        ok = date(v, &c->employer.hire_date);
    else if (strcmp(key, "catalog") == 0)
        c->has_catalog = strcmp(v, "none") != 0;
    else if (strcmp(key, "catalog.occupation") == 0)
        text(c->catalog.occupation, sizeof c->catalog.occupation, v);
    else if (strcmp(key, "catalog.level") == 0)
        ok = sr_level_parse(v, &c->catalog.level);
    else if (strcmp(key, "catalog.year") == 0)
        ok = integer(v, &c->catalog.year);
    else if (strcmp(key, "catalog.standard") == 0)
        ok = money(v, &c->catalog.standard_fen);
    else if (strcmp(key, "catalog.shortage") == 0)
        ok = yes_no(v, &c->catalog.shortage);
    else if (strcmp(key, "catalog.shortage_uplift") == 0)
        ok = money(v, &c->catalog.shortage_uplift_fen);
    else if (strcmp(key, "claim.kind") == 0)
        ok = sr_kind_parse(v, &cl->kind);
    else if (strcmp(key, "claim.variant") == 0)
        ok = sr_variant_parse(v, &cl->variant);
    else if (strcmp(key, "claim.occupation") == 0)
        text(cl->occupation, sizeof cl->occupation, v);
    else if (strcmp(key, "claim.level") == 0)
        ok = sr_level_parse(v, &cl->level);
    else if (strcmp(key, "cert.kind") == 0)
        ok = sr_cert_kind_parse(v, &cl->certificate.kind);
    else if (strcmp(key, "cert.number") == 0)
        text(cl->certificate.number, sizeof cl->certificate.number, v);
    else if (strcmp(key, "cert.date") == 0)
        ok = date(v, &cl->certificate.issue_date);
    else if (strcmp(key, "cert.issuer") == 0)
        ok = sr_issuer_parse(v, &cl->certificate.issuer);
    else if (strcmp(key, "claim.renewal") == 0)
        ok = yes_no(v, &cl->renewal);
    else if (strcmp(key, "claim.commitment") == 0)
        ok = yes_no(v, &cl->commitment);
    else if (strcmp(key, "claim.start") == 0)
        ok = date(v, &cl->training_start);
    else if (strcmp(key, "claim.end") == 0)
        ok = date(v, &cl->training_end);
    else if (strcmp(key, "claim.hours") == 0)
        ok = integer(v, &cl->class_hours);
    else if (strcmp(key, "claim.days") == 0)
        ok = integer(v, &cl->training_days);
    else if (strcmp(key, "claim.months") == 0)
        ok = integer(v, &cl->months);
    else if (strcmp(key, "claim.semesters") == 0)
        ok = integer(v, &cl->semesters);
    else if (strcmp(key, "claim.years") == 0)
        ok = integer(v, &cl->years);
    else if (strcmp(key, "claim.cost") == 0)
        ok = money(v, &cl->actual_cost_fen);
    else if (strcmp(key, "claim.fee") == 0)
        ok = money(v, &cl->enterprise_fee_fen);
    else if (strcmp(key, "claim.out_of_province") == 0)
        ok = yes_no(v, &cl->out_of_province);
    else if (strcmp(key, "claim.advance") == 0)
        ok = integer(v, &cl->advance_pct);
    else if (strcmp(key, "claim.payee") == 0)
        ok = sr_payee_parse(v, &cl->payee);
    else if (strcmp(key, "history") == 0) {
        if (strcmp(v, "none") == 0) {
            c->history_len = 0;
            return;
        }
        if (c->history_len == CASE_MAX_HISTORY)
            return fail(rd, "too many history lines", v);
        struct sr_history_entry *h = &c->history[c->history_len++];
        memset(h, 0, sizeof *h);
        /* year occupation level kind state [renewal] [variant] */
        char occ[SR_OCCUPATION_LEN], lvl[32], kind[48], state[32], more[2][32] = {"", ""};
        int n = sscanf(v, "%d %31s %31s %47s %31s %31s %31s", &h->year, occ, lvl, kind, state,
                       more[0], more[1]);
        ok = n >= 5 && sr_level_parse(lvl, &h->level) && sr_kind_parse(kind, &h->kind) &&
             sr_claim_state_parse(state, &h->state);
        text(h->occupation, sizeof h->occupation, occ);
        for (int k = 0; k < 2 && ok && more[k][0]; k++)
            ok = strcmp(more[k], "renewal") == 0 ? (h->renewal = true)
                                                 : sr_variant_parse(more[k], &h->variant);
    } else if (strcmp(key, "expect.amount") == 0)
        ok = money(v, &c->amount);
    else if (strcmp(key, "expect.eligible") == 0) {
        bool b;
        ok = yes_no(v, &b);
        c->eligible = b;
    } else if (strcmp(key, "expect.problems") == 0) {
        c->check_problems = true;
        c->problem_count = 0;
        char *save = NULL;
        for (char *t = strtok_r(v, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
            if (strcmp(t, "none") == 0)
                continue;
            if (c->problem_count == CASE_MAX_EXPECTED)
                return fail(rd, "too many expected problems", t);
            size_t i = c->problem_count;
            char *at = strchr(t, '@');
            c->problem_fields[i][0] = '\0';
            if (at) {
                *at = '\0';
                snprintf(c->problem_fields[i], sizeof c->problem_fields[i], "%s", at + 1);
            }
            if (!sr_problem_code_parse(t, &c->problems[i]))
                return fail(rd, "unknown problem code", t);
            c->problem_count++;
        }
    } else if (strcmp(key, "expect.limit") == 0)
        ok = money(v, &c->limit);
    else if (strcmp(key, "expect.uplift") == 0)
        ok = money(v, &c->uplift);
    else if (strcmp(key, "expect.advance") == 0)
        ok = money(v, &c->advance);
    else if (strcmp(key, "expect.standard") == 0)
        ok = money(v, &c->standard);
    else if (strcmp(key, "expect.units") == 0)
        ok = integer(v, &c->units);
    else if (strcmp(key, "expect.rule") == 0)
        text(c->rule_id, sizeof c->rule_id, v);
    else if (strcmp(key, "expect.formula") == 0)
        text(c->formula, sizeof c->formula, v);
    else if (strcmp(key, "expect.uplift_note") == 0)
        text(c->uplift_note, sizeof c->uplift_note, v);
    else if (strcmp(key, "expect.explain") == 0)
        text(c->explain, sizeof c->explain, v);
    else if (strcmp(key, "expect.cap") == 0)
        text(c->cap, sizeof c->cap, v);
    else
        return fail(rd, "unknown key", key);
    if (!ok)
        fail(rd, "bad value", v);
}

static void reset_expectations(struct rule_case *c)
{
    c->amount = -1;
    c->eligible = -1;
    c->check_problems = true; /* no "expect.problems" line means: no problems */
    c->problem_count = 0;
    c->limit = c->uplift = c->advance = c->standard = -1;
    c->units = -1;
    c->rule_id[0] = c->formula[0] = c->uplift_note[0] = c->explain[0] = c->cap[0] = '\0';
}

static int push(struct case_list *list, const struct rule_case *c)
{
    struct rule_case *grown = realloc(list->items, (list->count + 1) * sizeof *grown);
    if (!grown)
        return -1;
    list->items = grown;
    list->items[list->count++] = *c;
    return 0;
}

static int load_file(const char *path, struct case_list *list, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open", path);
        return -1;
    }
    struct reader rd = {.file = path, .err = err, .errlen = errlen};
    static struct rule_case defaults, cur;
    memset(&defaults, 0, sizeof defaults);
    reset_expectations(&defaults);
    bool in_case = false;
    char buf[1024];
    while (fgets(buf, sizeof buf, f) && !rd.failed) {
        rd.line++;
        char *line = trim(buf);
        if (!*line || *line == '#')
            continue;
        char *sp = line;
        while (*sp && !isspace((unsigned char)*sp))
            sp++;
        char *value = *sp ? (*sp = '\0', trim(sp + 1)) : sp;
        if (strcmp(line, "case") == 0) {
            if (in_case && !rd.failed && push(list, &cur))
                fail(&rd, "out of memory", "");
            cur = defaults;
            reset_expectations(&cur);
            in_case = true;
            snprintf(cur.file, sizeof cur.file, "%s", path);
            cur.line = rd.line;
            char *t = value;
            while (*t && !isspace((unsigned char)*t))
                t++;
            char *title = *t ? (*t = '\0', trim(t + 1)) : t;
            if (!*value || !*title) {
                fail(&rd, "a case needs a section and a title", value);
                break;
            }
            snprintf(cur.section, sizeof cur.section, "%s", value);
            snprintf(cur.title, sizeof cur.title, "%s", title);
            continue;
        }
        set_key(&rd, in_case ? &cur : &defaults, line, value);
    }
    if (in_case && !rd.failed && push(list, &cur))
        fail(&rd, "out of memory", "");
    fclose(f);
    return rd.failed ? -1 : 0;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int case_list_load(const char *dir, struct case_list *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "%s: cannot open directory", dir);
        return -1;
    }
    char *names[64];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) {
        size_t len = strlen(e->d_name);
        if (len > 6 && strcmp(e->d_name + len - 6, ".cases") == 0) {
            names[n] = malloc(strlen(dir) + len + 2);
            sprintf(names[n], "%s/%s", dir, e->d_name);
            n++;
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (rc == 0 && load_file(names[i], out, err, errlen))
            rc = -1;
        free(names[i]);
    }
    return rc;
}

void case_list_free(struct case_list *list)
{
    free(list->items);
    memset(list, 0, sizeof *list);
}

void case_input(const struct rule_case *c, struct sr_input *in)
{
    memset(in, 0, sizeof *in);
    in->catalog = c->has_catalog ? &c->catalog : NULL;
    in->person = c->has_person ? &c->person : NULL;
    in->employer = c->has_employer ? &c->employer : NULL;
    in->claim = &c->claim;
    in->history = c->history;
    in->history_len = c->history_len;
    in->today = c->today;
}

static void list_problems(const struct sr_result *r, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->problem_count && used < len; i++) {
        int n = snprintf(buf + used, len - used, "%s%s@%s", i ? " " : "", r->problems[i].code_name,
                         r->problems[i].field);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

bool case_check(const struct rule_case *c, const struct sr_result *r, char *msg, size_t len)
{
    char got[512];
    list_problems(r, got, sizeof got);
#define MISMATCH(...)                                                                              \
    do {                                                                                           \
        char what_[600];                                                                           \
        snprintf(what_, sizeof what_, __VA_ARGS__);                                                \
        snprintf(msg, len, "%.200s:%d [%.60s] %.200s: %.400s (problems: %.500s)", c->file,         \
                 c->line, c->section, c->title, what_, got[0] ? got : "none");                     \
        return false;                                                                              \
    } while (0)
    if (c->check_problems) {
        if (r->problem_count != c->problem_count)
            MISMATCH("expected %zu problems, got %zu", c->problem_count, r->problem_count);
        for (size_t i = 0; i < c->problem_count; i++) {
            bool found = false;
            for (size_t j = 0; j < r->problem_count && !found; j++)
                found = r->problems[j].code == c->problems[i] &&
                        (!c->problem_fields[i][0] ||
                         strcmp(r->problems[j].field, c->problem_fields[i]) == 0);
            if (!found)
                MISMATCH("expected problem %s%s%s", sr_problem_code_name(c->problems[i]),
                         c->problem_fields[i][0] ? "@" : "", c->problem_fields[i]);
        }
    }
    const int want = c->eligible >= 0 ? c->eligible : c->problem_count == 0;
    if (r->eligible != (want == 1))
        MISMATCH("expected eligible=%d", want);
    if (c->amount >= 0 && r->amount_fen != c->amount)
        MISMATCH("expected amount %lld fen, got %lld", (long long)c->amount,
                 (long long)r->amount_fen);
    if (c->limit >= 0 && r->trace.limit_fen != c->limit)
        MISMATCH("expected limit %lld, got %lld", (long long)c->limit,
                 (long long)r->trace.limit_fen);
    if (c->uplift >= 0 && r->trace.uplift_fen != c->uplift)
        MISMATCH("expected uplift %lld, got %lld", (long long)c->uplift,
                 (long long)r->trace.uplift_fen);
    if (c->advance >= 0 && r->trace.advance_fen != c->advance)
        MISMATCH("expected advance %lld, got %lld", (long long)c->advance,
                 (long long)r->trace.advance_fen);
    if (c->standard >= 0 && r->trace.standard_fen != c->standard)
        MISMATCH("expected standard %lld, got %lld", (long long)c->standard,
                 (long long)r->trace.standard_fen);
    if (c->units >= 0 && r->trace.units != c->units)
        MISMATCH("expected units %d, got %d", c->units, (int)r->trace.units);
    if (c->rule_id[0] && (!r->trace.rule_id || strcmp(r->trace.rule_id, c->rule_id) != 0))
        MISMATCH("expected rule %s, got %s", c->rule_id,
                 r->trace.rule_id ? r->trace.rule_id : "(none)");
    if (c->formula[0] && (!r->trace.formula || strcmp(r->trace.formula, c->formula) != 0))
        MISMATCH("expected formula %s, got %s", c->formula,
                 r->trace.formula ? r->trace.formula : "(none)");
    if (c->uplift_note[0] &&
        (!r->trace.uplift_note || strcmp(r->trace.uplift_note, c->uplift_note) != 0))
        MISMATCH("expected uplift note %s, got %s", c->uplift_note,
                 r->trace.uplift_note ? r->trace.uplift_note : "(none)");
    if (c->cap[0]) {
        /* the limit that cut last, as "<reason> <units allowed>", or "none" */
        char got_cap[64] = "none";
        const int n = r->trace.unit_cap_count;
        if (n)
            snprintf(got_cap, sizeof got_cap, "%s %d", r->trace.unit_caps[n - 1].reason,
                     (int)r->trace.unit_caps[n - 1].limit);
        if (strcmp(got_cap, c->cap) != 0)
            MISMATCH("expected cap '%s', got '%s'", c->cap, got_cap);
    }
    if (c->explain[0]) {
        char buf[256];
        sr_result_explain(r, buf, sizeof buf);
        if (strcmp(buf, c->explain) != 0)
            MISMATCH("expected explanation '%s', got '%s'", c->explain, buf);
    }
#undef MISMATCH
    return true;
}
