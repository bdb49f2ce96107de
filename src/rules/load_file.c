/* Reading one policy file (src/rules/README.md, "Policy file format"): its sections, lines and
 * keys.  The format is line-oriented:
 *
 *     # comment
 *     [policy]            one of policy, residency, limits, retirement, relatives, graduates,
 *     key = value         commitment, uplift NAME, rule NAME
 *
 * Each key is read as its section's table (load_policy.c, load_rows.c) says.  Every error is
 * reported as `file:line: message`, all of them, not just the first. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"

static const char *const block_names[B_COUNT] = {
    [B_NONE] = "",
    [B_POLICY] = "policy",
    [B_RESIDENCY] = "residency",
    [B_LIMITS] = "limits",
    [B_RETIREMENT] = "retirement",
    [B_RELATIVES] = "relatives",
    [B_GRADUATES] = "graduates",
    [B_COMMITMENT] = "commitment",
    [B_UPLIFT] = "uplift",
    [B_RULE] = "rule",
};

static const struct key_table *const block_keys[B_COUNT] = {
    [B_POLICY] = &sr_policy_keys,
    [B_RESIDENCY] = &sr_residency_keys,
    [B_LIMITS] = &sr_limits_keys,
    [B_RETIREMENT] = &sr_retirement_keys,
    [B_RELATIVES] = &sr_relatives_keys,
    [B_GRADUATES] = &sr_graduates_keys,
    [B_COMMITMENT] = &sr_commitment_keys,
    [B_UPLIFT] = &sr_uplift_keys,
    [B_RULE] = &sr_rule_keys,
};

int sr_load_key_index(const struct key_table *t, const char *key)
{
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(t->keys[i].name, key) == 0)
            return (int)i;
    return -1;
}

/* A number into a member of size bytes. */
static void store(void *at, size_t size, int64_t v)
{
    int8_t v8 = (int8_t)v;
    int32_t v32 = (int32_t)v;
    if (size == 1)
        memcpy(at, &v8, 1);
    else if (size == 4)
        memcpy(at, &v32, 4);
    else if (size == 8)
        memcpy(at, &v, 8);
}

/* Read the value of key k into the section's struct, as its table says. */
static void apply(struct parser *p, const struct key_spec *k, const char *v)
{
    void *obj = p->block == B_RULE     ? (void *)p->rule
                : p->block == B_UPLIFT ? (void *)p->uplift
                                       : (void *)p->policy;
    char *at = (char *)obj + k->offset;
    int64_t n;
    uint64_t set;
    bool b;
    int e;
    switch (k->type) {
    case K_READING:
        break;
    case K_TEXT:
        sr_load_text(p, at, k->size, v);
        break;
    case K_INT:
        if (sr_load_int(p, v, k->lo, k->hi, &n))
            store(at, k->size, n);
        break;
    case K_DATE:
        sr_load_date(p, v, (int32_t *)(void *)at);
        break;
    case K_MONEY:
        sr_load_money(p, v, (int64_t *)(void *)at);
        break;
    case K_MONEY_OR_CATALOG:
        sr_load_money_or_catalog(p, v, (bool *)((char *)obj + k->flag), (int64_t *)(void *)at);
        break;
    case K_BOOL:
        if (sr_load_bool(p, v, &b))
            store(at, k->size, b);
        break;
    case K_REQUIRED:
        sr_load_required(p, v, (bool *)at);
        break;
    case K_SET:
        sr_load_set(p, v, k->parse, k->what, &set);
        store(at, k->size, (int64_t)set);
        break;
    case K_GROUP_BITS:
        sr_load_group_bits(p, v, (uint32_t *)(void *)at);
        break;
    case K_ENUM:
        if (k->parse(v, &e))
            store(at, k->size, e);
        else
            sr_load_perr(p, "unknown %s '%s'", k->what, v);
        break;
    case K_NAME:
        if (sr_load_name(p, v, k->names, k->count, k->what, &e))
            store(at, k->size, e);
        break;
    case K_WORD: {
        const struct key_word *w = k->words;
        while (w->word && strcmp(w->word, v) != 0)
            w++;
        if (!w->word)
            sr_load_perr(p, "%s", k->message);
        else if (k->size)
            store(at, k->size, w->value);
        break;
    }
    case K_CUSTOM:
        k->custom(p, v);
        break;
    }
}

static void add_reading(struct parser *p, const char *value)
{
    struct sr_policy *pol = p->policy;
    char **grown = realloc(pol->readings, (pol->reading_count + 1) * sizeof *grown);
    if (!grown) {
        sr_load_perr(p, "out of memory");
        return;
    }
    pol->readings = grown;
    const char *where = block_names[p->block];
    const char *name = p->block == B_RULE ? p->rule->id : p->block == B_UPLIFT ? p->uplift->id : "";
    size_t n = strlen(where) + strlen(name) + strlen(value) + 8;
    char *text = malloc(n);
    if (!text) {
        sr_load_perr(p, "out of memory");
        return;
    }
    snprintf(text, n, "[%s%s%s] %s", where, *name ? " " : "", name, value);
    pol->readings[pol->reading_count++] = text;
}

/* Checks at the end of a block: required keys and consistency. */
static void end_block(struct parser *p)
{
    if (p->block == B_NONE)
        return;
    const struct key_table *t = block_keys[p->block];
    int saved = p->line;
    p->line = p->block_line;
    for (size_t i = 0; i < t->count; i++)
        if (t->keys[i].required && !(p->seen & (1ull << i)))
            sr_load_perr(p, "[%s] lacks required key '%s'", block_names[p->block], t->keys[i].name);
    if (p->block == B_RULE)
        sr_load_rule_end(p);
    p->line = saved;
}

static void begin_block(struct parser *p, char *header)
{
    char *name = sr_load_trim(header);
    char *space = strpbrk(name, " \t");
    char *arg = NULL;
    if (space) {
        *space = '\0';
        arg = sr_load_trim(space + 1);
    }
    int b = -1;
    for (int i = 1; i < B_COUNT; i++)
        if (strcmp(name, block_names[i]) == 0)
            b = i;
    p->seen = 0;
    p->block_line = p->line;
    p->any_block = true;
    if (b < 0) {
        sr_load_perr(p, "unknown section [%s]", name);
        p->block = B_NONE;
        return;
    }
    bool named = b == B_RULE || b == B_UPLIFT;
    if (named != (arg && *arg)) {
        sr_load_perr(p, named ? "[%s] needs a name" : "[%s] takes no name", name);
        p->block = B_NONE;
        return;
    }
    if (!named && p->seen_block[b]) {
        sr_load_perr(p, "section [%s] appears twice", name);
        p->block = B_NONE;
        return;
    }
    p->seen_block[b] = true;
    p->block = (enum block)b;
    struct sr_policy *pol = p->policy;
    if (b == B_RULE) {
        for (size_t i = 0; i < pol->rule_count; i++)
            if (strcmp(pol->rules[i].id, arg) == 0)
                sr_load_perr(p, "rule '%s' defined twice (first at line %d)", arg,
                             pol->rules[i].line);
        if (pol->rule_count == p->rule_cap) {
            size_t cap = p->rule_cap ? p->rule_cap * 2 : 16;
            struct sr_rule *grown = realloc(pol->rules, cap * sizeof *grown);
            if (!grown) {
                sr_load_perr(p, "out of memory");
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
        sr_load_text(p, r->id, sizeof r->id, arg);
        p->rule = r;
    } else if (b == B_UPLIFT) {
        if (pol->uplift_count == SR_MAX_UPLIFTS) {
            sr_load_perr(p, "at most %d uplifts", SR_MAX_UPLIFTS);
            p->block = B_NONE;
            return;
        }
        struct sr_uplift *u = &pol->uplifts[pol->uplift_count++];
        memset(u, 0, sizeof *u);
        sr_load_text(p, u->id, sizeof u->id, arg);
        p->uplift = u;
    }
}

static void handle_line(struct parser *p, char *raw)
{
    char *line = sr_load_trim(raw);
    if (!*line || *line == '#')
        return;
    if (*line == '[') {
        char *close = strchr(line, ']');
        if (!close || sr_load_trim(close + 1)[0] != '\0') {
            sr_load_perr(p, "malformed section header");
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
        sr_load_perr(p, "expected 'key = value'");
        return;
    }
    *eq = '\0';
    char *key = sr_load_trim(line);
    char *value = sr_load_trim(eq + 1);
    if (p->block == B_NONE) {
        if (!p->any_block)
            sr_load_perr(p, "key '%s' outside any section", key);
        return; /* inside a broken section header: already reported */
    }
    const struct key_table *t = block_keys[p->block];
    int k = sr_load_key_index(t, key);
    if (k < 0) {
        sr_load_perr(p, "unknown key '%s' in [%s]", key, block_names[p->block]);
        return;
    }
    if (!*value) {
        sr_load_perr(p, "key '%s' has no value", key);
        return;
    }
    if (t->keys[k].type == K_READING) {
        add_reading(p, value);
        return;
    }
    if (p->seen & (1ull << k)) {
        sr_load_perr(p, "key '%s' given twice in this section", key);
        return;
    }
    p->seen |= 1ull << k;
    apply(p, &t->keys[k], value);
}

void sr_load_policy_free(struct sr_policy *pol)
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
struct sr_policy *sr_load_file(const char *path, struct errors *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        sr_load_error(err, path, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct sr_policy *pol = calloc(1, sizeof *pol);
    if (!pol) {
        fclose(f);
        sr_load_error(err, path, 0, "out of memory");
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
            sr_load_perr(&p, "NUL byte in line");
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
            sr_load_perr(&p, "missing section [%s]", block_names[required[i]]);
    if (!p.seen_block[B_RULE])
        sr_load_perr(&p, "no [rule ...] section");
    if (pol->from && pol->to && pol->from > pol->to)
        sr_load_perr(&p, "effective_from is after effective_to");
    if ((pol->back_from == SR_NO_DATE) != (pol->back_to == SR_NO_DATE))
        sr_load_perr(&p, "back_reach_from and back_reach_to go together");
    if (pol->back_from && (pol->back_from > pol->back_to || pol->back_to >= pol->from))
        sr_load_perr(&p, "the back-reach must be a range before effective_from");
    if (!pol->line)
        pol->line = 1;
    for (size_t i = 0; i < pol->rule_count; i++)
        if (pol->rules[i].quota)
            pol->quota_kinds |= 1ull << pol->rules[i].kind;
    return pol;
}
