/* Judging one claim against one policy: the row of the policy for the claim, every check of it
 * (eval_checks.c, eval_amount.c, eval_history.c), and the amount.  Every check runs, whatever
 * failed before, so that the result lists every unmet condition at once (一次性告知).  No
 * allocation but one scratch buffer, no global state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"

void sr_eval_problem(struct sr_result *out, enum sr_problem_code code, const char *field,
                     const char *section)
{
    for (size_t i = 0; i < out->problem_count; i++)
        if (out->problems[i].code == code && strcmp(out->problems[i].field, field) == 0)
            return;
    if (out->problem_count == SR_MAX_PROBLEMS) {
        out->problems_truncated = true;
        return;
    }
    struct sr_problem *p = &out->problems[out->problem_count++];
    p->code = code;
    p->code_name = sr_problem_code_name(code);
    p->field = field;
    p->section = section && *section ? section : WHOLE_DOCUMENT;
    p->message_zh = sr_problem_message_zh(code);
    p->message_en = sr_problem_message_en(code);
}

int64_t sr_percent_of(int64_t value, int32_t pct)
{
    return (value * pct + 50) / 100;
}

/* The names of the bits of mask, "a, b, c", into buf. */
static void mask_names(uint32_t mask, const char *(*name)(int), char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < 32; i++) {
        const char *n = mask & (1u << i) ? name(i) : NULL;
        if (!n)
            continue;
        int w = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", n);
        if (w < 0 || (size_t)w >= len - used)
            break;
        used += (size_t)w;
    }
}

static const char *level_at(int i)
{
    return sr_level_name((enum sr_level)i);
}

static const char *variant_at(int i)
{
    return sr_variant_name((enum sr_variant)i);
}

/* The last problem says which values of its field the policy has rows for. */
static void allow(struct sr_result *out, uint32_t mask, const char *(*name)(int))
{
    if (!out->problem_count || !mask)
        return;
    mask_names(mask, name, out->allowed, sizeof out->allowed);
    out->problems[out->problem_count - 1].has_allowed = out->allowed[0] != '\0';
}

/* Picks the row of the policy for the claim's kind, level, variant, renewal and province;
 * reports the first selector no row satisfies, with the values the policy does cover. */
static const struct sr_rule *select_rule(const struct sr_policy *pol, const struct sr_claim *c,
                                         struct sr_result *out)
{
    const struct sr_rule *first = NULL;
    bool level = false, variant = false, renewal = false;
    uint32_t levels = 0, variants = 0;
    for (size_t i = 0; i < pol->rule_count; i++) {
        const struct sr_rule *r = &pol->rules[i];
        if (r->kind != c->kind)
            continue;
        if (!first)
            first = r;
        levels |= r->level_mask;
        if (r->level_mask && ((unsigned)c->level >= 32 || !(r->level_mask & (1u << c->level))))
            continue;
        level = true;
        variants |= r->variant_mask;
        if (r->variant_mask ? (unsigned)c->variant >= 32 || !(r->variant_mask & (1u << c->variant))
                            : c->variant != SR_VARIANT_NONE)
            continue;
        variant = true;
        if (r->renewal >= 0 && r->renewal != (int8_t)c->renewal)
            continue;
        renewal = true;
        if (r->province >= 0 && r->province != (int8_t)c->out_of_province)
            continue;
        return r;
    }
    if (!first) {
        sr_eval_problem(out, SR_P_KIND_NOT_IN_POLICY, "claim.kind", WHOLE_DOCUMENT);
    } else if (!level) {
        sr_eval_problem(out,
                        c->level == SR_LEVEL_NONE ? SR_P_LEVEL_MISSING : SR_P_LEVEL_NOT_COVERED,
                        "claim.level", first->section);
        allow(out, levels, level_at);
    } else if (!variant) {
        sr_eval_problem(
            out, c->variant == SR_VARIANT_NONE ? SR_P_VARIANT_MISSING : SR_P_VARIANT_NOT_COVERED,
            "claim.variant", first->section);
        allow(out, variants, variant_at);
    } else if (!renewal) {
        sr_eval_problem(out, SR_P_RENEWAL_NOT_COVERED, "claim.renewal", first->section);
    } else {
        sr_eval_problem(out, SR_P_VARIANT_NOT_COVERED, "claim.out_of_province", first->section);
    }
    return NULL;
}

/* Every check of the claim against the chosen row but the person's earlier claims. */
static void check_claim(struct eval *e)
{
    sr_eval_check_dates(e);
    sr_eval_check_person(e);
    sr_eval_check_employer(e);
    sr_eval_check_certificate(e);
    sr_eval_check_training(e);
    sr_eval_check_ranges(e);
    sr_eval_check_catalog(e);
    sr_eval_check_units(e);
    sr_eval_check_claim_fields(e);
}

/* No row fits the claim's level or variant: the problems that every row of its kind finds
 * are the claim's whatever row it is meant for (一次性告知), so they are reported too. */
static void common_problems(struct eval *e)
{
    struct sr_result *found = malloc(2 * sizeof *found);
    if (!found)
        return;
    struct sr_result *common = &found[0], *one = &found[1];
    bool any = false;
    for (size_t i = 0; i < e->pol->rule_count; i++) {
        const struct sr_rule *r = &e->pol->rules[i];
        if (r->kind != e->claim->kind)
            continue;
        struct eval x = *e;
        x.rule = r;
        x.out = any ? one : common;
        memset(x.out, 0, sizeof *x.out);
        check_claim(&x);
        if (!any) {
            any = true;
            continue;
        }
        size_t kept = 0; /* keep what this row finds too */
        for (size_t k = 0; k < common->problem_count; k++) {
            const struct sr_problem *p = &common->problems[k];
            for (size_t m = 0; m < one->problem_count; m++)
                if (one->problems[m].code == p->code &&
                    strcmp(one->problems[m].field, p->field) == 0) {
                    common->problems[kept++] = *p;
                    break;
                }
        }
        common->problem_count = kept;
    }
    for (size_t k = 0; any && k < common->problem_count; k++) {
        const struct sr_problem *p = &common->problems[k];
        sr_eval_problem(e->out, p->code, p->field, p->section);
    }
    free(found);
}

void sr_evaluate(const struct sr_policy *policy, const struct sr_input *in, struct sr_result *out)
{
    memset(out, 0, sizeof *out);
    struct sr_trace *t = &out->trace;
    t->policy_id = policy->id;
    t->policy_version = policy->version;
    t->rounding = "none";
    if (!in || !in->claim) {
        sr_eval_problem(out, SR_P_CLAIM_MISSING, "claim", WHOLE_DOCUMENT);
        return;
    }
    struct eval e = {.pol = policy, .in = in, .claim = in->claim, .out = out};
    if (in->claim->commitment && !policy->commitment_section[0])
        sr_eval_problem(out, SR_P_COMMITMENT_NOT_OFFERED, "claim.commitment", WHOLE_DOCUMENT);
    e.rule = select_rule(policy, in->claim, out);
    if (!e.rule) {
        /* still say what else is wrong with the person and the employer, and whatever every
         * row of the kind would find missing or wrong */
        if (in->person)
            sr_eval_check_person_identity(&e, in->person);
        if (in->employer && in->employer->credit_code[0] &&
            sr_credit_code_check(in->employer->credit_code) != SR_ID_OK)
            sr_eval_problem(out, SR_P_EMPLOYER_CREDIT_CODE_INVALID, "employer.credit_code",
                            CREDIT_SECTION);
        common_problems(&e);
        out->eligible = false;
        return;
    }
    t->rule_id = e.rule->id;
    t->rule_section = e.rule->section;
    check_claim(&e);
    sr_eval_check_history(&e);
    t->event_year = e.event_year;
    t->counts_quota = e.rule->quota;
    t->per_year = policy->per_year;
    sr_eval_format_same_key(e.rule, in->claim, t->same_key);
    t->unique_occupation_level =
        e.rule->quota && policy->once_per_occupation_level && !in->claim->renewal && t->same_key[0];
    t->once_per_year = e.rule->once_per_year;
    if (e.rule->catalog_match == SR_CATALOG_OCCUPATION_LEVEL)
        t->catalog_level = e.rule->catalog_level ? e.rule->catalog_level : in->claim->level;
    t->catalog_year_only = e.rule->catalog_match == SR_CATALOG_YEAR_ONLY;
    sr_eval_compute(&e);
    out->eligible = out->problem_count == 0 && !out->problems_truncated;
    out->amount_fen = out->eligible ? t->computed_fen : 0;
    if (out->eligible && in->claim->advance_pct > 0) {
        t->advance_pct = in->claim->advance_pct;
        t->advance_fen = sr_percent_of(out->amount_fen, t->advance_pct);
        t->rounding = "half_up_fen";
    }
}

void sr_result_add_problem(struct sr_result *out, enum sr_problem_code code, const char *field)
{
    sr_eval_problem(out, code, field, NULL);
    out->eligible = false;
    out->amount_fen = 0;
}
