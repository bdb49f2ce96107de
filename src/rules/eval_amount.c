/* The amount of a claim: the units paid (capped by the row, the certificate's age and the
 * policy's dates), the uplift that applies, and the formula. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"

static int64_t clamp(int64_t v, int64_t max)
{
    return v < 0 ? 0 : v > max ? max : v;
}

/* The claim's count of the rule's unit, and the field it comes from; reports it when missing. */
static int32_t claim_units(struct eval *e, const char **field)
{
    const struct sr_rule *r = e->rule;
    const struct sr_claim *c = e->claim;
    int32_t v;
    enum sr_problem_code missing;
    int64_t max;
    switch (r->unit) {
    case SR_UNIT_HOUR:
        v = c->class_hours, missing = SR_P_CLASS_HOURS_MISSING, *field = "claim.class_hours";
        max = MAX_HOURS;
        break;
    case SR_UNIT_DAY:
        v = c->training_days, missing = SR_P_TRAINING_DAYS_MISSING, *field = "claim.training_days";
        max = MAX_DAYS;
        break;
    case SR_UNIT_MONTH:
        v = c->months, missing = SR_P_MONTHS_MISSING, *field = "claim.months", max = MAX_MONTHS;
        break;
    case SR_UNIT_SEMESTER:
        v = c->semesters, missing = SR_P_SEMESTERS_MISSING, *field = "claim.semesters";
        max = MAX_SEMESTERS;
        break;
    case SR_UNIT_YEAR:
        v = c->years, missing = SR_P_YEARS_MISSING, *field = "claim.years", max = MAX_YEARS;
        break;
    default:
        *field = "claim";
        return 1;
    }
    if (v <= 0)
        sr_eval_problem(e->out, missing, *field, r->section);
    return (int32_t)clamp(v, max);
}

/* A duration limit pays up to the limit (a cap, not a refusal); recorded when it cuts. */
static void cap_units(struct eval *e, const char *reason, const char *section, int32_t limit)
{
    struct sr_trace *t = &e->out->trace;
    if (limit < 0 || limit >= t->units)
        return;
    if (t->unit_cap_count < SR_MAX_UNIT_CAPS)
        t->unit_caps[t->unit_cap_count++] =
            (struct sr_unit_cap){.reason = reason, .section = section, .limit = limit};
    t->units = limit;
}

/* Whole months or days of [lo, hi] inside [from, to]; 0 when they do not meet. */
static int32_t overlap(int32_t lo, int32_t hi, int32_t from, int32_t to, enum sr_unit unit)
{
    if (lo < from)
        lo = from;
    if (hi > to)
        hi = to;
    if (hi < lo)
        return 0;
    return unit == SR_UNIT_DAY ? hi - lo + 1 : sr_months_between(lo, hi + 1);
}

/* Months or days of the claimed period that run outside the policy's dates (back-reach
 * included) are not paid: the units of the part inside, or -1 when the claim states no period,
 * the unit is neither, or the whole period is inside. */
static int32_t units_in_force(struct eval *e)
{
    const struct sr_claim *c = e->claim;
    const struct sr_policy *pol = e->pol;
    const enum sr_unit unit = e->rule->unit;
    const int32_t lo = c->training_start, hi = c->training_end;
    if ((unit != SR_UNIT_MONTH && unit != SR_UNIT_DAY) || lo == SR_NO_DATE || hi == SR_NO_DATE ||
        hi < lo)
        return -1;
    /* a back-reach that ends the day before the policy starts is one period with it */
    const bool joined = pol->back_from != SR_NO_DATE && pol->back_to + 1 >= pol->from;
    const bool back = pol->back_from != SR_NO_DATE && !joined;
    const int32_t from = joined ? pol->back_from : pol->from;
    int32_t days = overlap(lo, hi, from, pol->to, SR_UNIT_DAY);
    if (back)
        days += overlap(lo, hi, pol->back_from, pol->back_to, SR_UNIT_DAY);
    if (days == hi - lo + 1)
        return -1;
    int32_t n = overlap(lo, hi, from, pol->to, unit);
    if (back)
        n += overlap(lo, hi, pol->back_from, pol->back_to, unit);
    if (n == 0)
        sr_eval_problem(e->out, SR_P_OUTSIDE_EFFECTIVE_DATES,
                        lo < from ? "claim.training_start" : "claim.training_end",
                        pol->dates_section);
    return n;
}

void sr_eval_check_units(struct eval *e)
{
    const struct sr_rule *r = e->rule;
    const struct sr_claim *c = e->claim;
    struct sr_trace *t = &e->out->trace;
    const char *field;
    t->units_claimed = t->units = claim_units(e, &field);
    if (r->max_units)
        cap_units(e, "max_units", r->section, r->max_units);
    if (r->unit == SR_UNIT_MONTH && r->cert_mask && c->certificate.issue_date &&
        e->in->today != SR_NO_DATE && t->units > 0) {
        /* months on the job since the certificate; none yet leaves nothing to pay */
        const int32_t since = sr_months_between(c->certificate.issue_date, e->in->today);
        if (since == 0)
            sr_eval_problem(e->out, SR_P_MONTHS_BEYOND_CERTIFICATE_AGE, "claim.months", r->section);
        cap_units(e, "certificate_age", r->section, since);
    }
    cap_units(e, "effective_dates", e->pol->dates_section, units_in_force(e));
    if (r->claim_window_years && c->certificate.issue_date && e->in->today != SR_NO_DATE &&
        e->in->today > sr_day_add_months(c->certificate.issue_date, 12 * r->claim_window_years))
        sr_eval_problem(e->out, SR_P_CLAIM_WINDOW_ELAPSED, "claim.certificate.issue_date",
                        r->section);
    if (r->by_actual && c->actual_cost_fen <= 0)
        sr_eval_problem(e->out, SR_P_ACTUAL_COST_MISSING, "claim.actual_cost_fen", r->section);
}

/* The uplift that applies, if any: built into the row, or the policy's trade-friction uplift
 * for a listed employer on the event date. */
static void choose_uplift(struct eval *e, int32_t *pct, bool *compare)
{
    const struct sr_rule *r = e->rule;
    struct sr_trace *t = &e->out->trace;
    *pct = 0;
    *compare = false;
    if (r->uplift_pct) {
        *pct = r->uplift_pct;
        t->uplift_id = r->id;
        t->uplift_section = r->section;
        return;
    }
    const struct sr_employer *em = e->in->employer;
    if (!em || !em->trade_friction_listed || e->event_date == SR_NO_DATE)
        return;
    for (int i = 0; i < e->pol->uplift_count; i++) {
        const struct sr_uplift *u = &e->pol->uplifts[i];
        if (!(u->kind_mask & (1ull << e->claim->kind)))
            continue;
        const int32_t d = e->event_date;
        if ((em->trade_friction_from && d < em->trade_friction_from) ||
            (em->trade_friction_to && d > em->trade_friction_to)) {
            t->uplift_note = "not_listed_on_date";
            continue;
        }
        if (u->until && d > u->until) {
            t->uplift_note = "uplift_ended";
            continue;
        }
        if (u->not_with_shortage && e->in->catalog && e->in->catalog->shortage) {
            /* an entry that states its shortage uplift: the larger single uplift, on the base */
            *compare = e->catalog_ok && e->in->catalog->shortage_uplift_fen > 0 &&
                       !r->fee_share_pct && (r->rate_from_catalog || r->cap_from_catalog);
            if (!*compare) {
                t->uplift_note = "not_with_shortage";
                continue;
            }
        }
        *pct = u->percent;
        t->uplift_id = u->id;
        t->uplift_section = u->section;
        t->uplift_note = NULL;
        return;
    }
}

/* The part of a cost that belongs to the units paid, when a duration cap cut them: the fee or
 * actual cost of 40 months counts 36/40 for 36 months paid (half up to the fen). */
static int64_t paid_share(const struct sr_trace *t, int64_t fen)
{
    fen = clamp(fen, SR_MONEY_MAX);
    if (!t->unit_cap_count || t->units_claimed <= 0)
        return fen;
    return (fen * t->units * 2 + t->units_claimed) / (2 * (int64_t)t->units_claimed);
}

void sr_eval_compute(struct eval *e)
{
    const struct sr_rule *r = e->rule;
    const struct sr_claim *c = e->claim;
    struct sr_trace *t = &e->out->trace;
    const int64_t catalog_std = e->catalog_ok ? e->in->catalog->standard_fen : 0;
    const bool has_rate = r->rate_from_catalog || r->rate_fen > 0;
    const int64_t cap = r->cap_from_catalog ? catalog_std : r->cap_fen;
    int64_t standard;

    t->formula = r->formula;
    t->unit = sr_unit_names[r->unit];
    t->rounding = "none";
    if (has_rate) {
        t->rate_fen = r->rate_from_catalog ? catalog_std : r->rate_fen;
        standard = t->rate_fen * t->units;
        t->cap_fen = cap;
    } else {
        t->units = t->units_claimed = 1;
        t->unit_cap_count = 0;
        standard = cap;
    }
    if (r->fee_share_pct) {
        t->fee_share_pct = r->fee_share_pct;
        t->fee_share_fen = sr_percent_of(paid_share(t, c->enterprise_fee_fen), r->fee_share_pct);
        t->rounding = "half_up_fen";
        if (t->fee_share_fen > standard)
            standard = t->fee_share_fen;
    }
    t->standard_fen = standard;
    int32_t pct;
    bool compare;
    choose_uplift(e, &pct, &compare);
    if (compare) {
        const int64_t share = e->in->catalog->shortage_uplift_fen;
        t->uplift_compared = true;
        t->shortage_uplift_fen = share * t->units;
        t->base_fen = standard - t->shortage_uplift_fen;
        t->policy_uplift_fen = sr_percent_of(t->base_fen, pct);
        if (t->policy_uplift_fen > t->shortage_uplift_fen) {
            standard = t->standard_fen = t->base_fen;
            if (r->rate_from_catalog)
                t->rate_fen -= share;
        } else {
            pct = 0;
            t->uplift_id = t->uplift_section = NULL;
            t->uplift_note = "shortage_uplift_larger";
        }
    }
    if (pct) {
        t->uplift_pct = pct;
        t->uplift_fen = sr_percent_of(standard, pct);
        t->rounding = "half_up_fen";
    }
    int64_t limit = standard + t->uplift_fen;
    if (has_rate && cap > 0 && cap < limit)
        limit = cap;
    t->limit_fen = limit;
    t->by_actual = r->by_actual;
    t->actual_cost_fen = paid_share(t, c->actual_cost_fen);
    int64_t amount = limit;
    if (r->by_actual && t->actual_cost_fen < amount)
        amount = t->actual_cost_fen;
    t->computed_fen = amount < 0 ? 0 : amount;
}
