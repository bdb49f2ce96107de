/* The person's earlier claims: the yearly quota, "the same occupation and level once", once
 * ever, once a year, and the graduates' one subsidy of each kind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"

/* Is an earlier claim the same under the row's key?  By occupation and level, by kind, or by
 * kind and variant (an entry whose variant is not known is not the same: the database's index
 * on the stored key still holds). */
static bool same_key(const struct sr_rule *r, const struct sr_history_entry *h,
                     const struct sr_claim *c)
{
    switch (r->same_key) {
    case SR_SAME_KIND:
        return h->kind == c->kind;
    case SR_SAME_KIND_VARIANT:
        return h->kind == c->kind && h->variant == c->variant && c->variant != SR_VARIANT_NONE;
    case SR_SAME_NONE:
        return false;
    default:
        return c->occupation[0] && h->level == c->level &&
               strncmp(h->occupation, c->occupation, SR_OCCUPATION_LEN) == 0;
    }
}

/* The stored form of the key (sr_trace.same_key), "" when the rule does not apply. */
void sr_eval_format_same_key(const struct sr_rule *r, const struct sr_claim *c,
                             char out[SR_SAME_KEY_LEN])
{
    out[0] = '\0';
    if (r->same_key == SR_SAME_KIND)
        snprintf(out, SR_SAME_KEY_LEN, "%s", sr_kind_name(c->kind));
    else if (r->same_key == SR_SAME_KIND_VARIANT)
        snprintf(out, SR_SAME_KEY_LEN, "%s/%s", sr_kind_name(c->kind), sr_variant_name(c->variant));
    else if (r->same_key == SR_SAME_OCCUPATION_LEVEL && c->occupation[0])
        snprintf(out, SR_SAME_KEY_LEN, "%s/%s", c->occupation, sr_level_name(c->level));
}

void sr_eval_check_history(struct eval *e)
{
    const struct sr_policy *pol = e->pol;
    const struct sr_rule *r = e->rule;
    const struct sr_claim *c = e->claim;
    const struct sr_input *in = e->in;
    const uint32_t groups = in->person ? in->person->groups : 0;
    const bool graduate = (groups & SR_GROUP_GRADUATING_STUDENT) != 0;
    const uint64_t kind_bit = 1ull << c->kind;
    int used = 0;
    bool dup = false, once = false, yearly = false, grad_skill = false, grad_entre = false;
    for (size_t i = 0; i < in->history_len; i++) {
        const struct sr_history_entry *h = &in->history[i];
        if (!sr_claim_state_is_live(h->state) || (unsigned)h->kind >= SR_KIND_COUNT)
            continue;
        const uint64_t hbit = 1ull << h->kind;
        const bool this_year = h->year == e->event_year;
        if ((pol->quota_kinds & hbit) && this_year)
            used++;
        /* by kind or variant, only claims of that kind are the same; by occupation, any
         * counted kind of the same occupation and level */
        if (r->quota && pol->once_per_occupation_level && (pol->quota_kinds & hbit) &&
            !h->renewal && !c->renewal && same_key(r, h, c))
            dup = true;
        if (r->once_ever && h->kind == c->kind && same_key(r, h, c))
            once = true;
        if (r->once_per_year && h->kind == c->kind && this_year)
            yearly = true;
        if (graduate && this_year) {
            if ((pol->graduate_skill_kinds & kind_bit) && (pol->graduate_skill_kinds & hbit))
                grad_skill = true;
            if ((pol->graduate_entrepreneurship_kinds & kind_bit) &&
                (pol->graduate_entrepreneurship_kinds & hbit))
                grad_entre = true;
        }
    }
    e->out->trace.quota_used = used;
    if (r->quota && used >= pol->per_year)
        sr_eval_problem(e->out, SR_P_QUOTA_YEAR_EXHAUSTED, "claim", pol->limits_section);
    if (dup)
        sr_eval_problem(e->out, SR_P_DUPLICATE_OCCUPATION_LEVEL,
                        r->same_key == SR_SAME_KIND           ? "claim.kind"
                        : r->same_key == SR_SAME_KIND_VARIANT ? "claim.variant"
                                                              : "claim.occupation",
                        pol->limits_section);
    if (once)
        sr_eval_problem(e->out, SR_P_ALREADY_GRANTED_ONCE, "claim.occupation", r->section);
    if (yearly)
        sr_eval_problem(e->out, SR_P_ONCE_A_YEAR_USED, "claim.kind", r->section);
    if (grad_skill)
        sr_eval_problem(e->out, SR_P_GRADUATE_SKILL_SUBSIDY_USED, "claim.kind",
                        pol->graduates_section);
    if (grad_entre)
        sr_eval_problem(e->out, SR_P_GRADUATE_ENTREPRENEURSHIP_SUBSIDY_USED, "claim.kind",
                        pol->graduates_section);
}
