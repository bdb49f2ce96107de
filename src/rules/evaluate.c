/* Judging one claim against one policy. Every check runs, whatever failed before, so that the
 * result lists every unmet condition at once (一次性告知). No allocation, no global state. */
#include "rules_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ID_SECTION     "GB 11643-1999"
#define CREDIT_SECTION "GB 32100-2015"
#define WHOLE_DOCUMENT "全文"

#define MAX_HOURS     10000
#define MAX_DAYS      3660
#define MAX_MONTHS    1200
#define MAX_SEMESTERS 100
#define MAX_YEARS     100

struct eval {
    const struct sr_policy *pol;
    const struct sr_rule *rule;
    const struct sr_input *in;
    const struct sr_claim *claim;
    struct sr_result *out;
    int32_t event_date;
    int event_year;
    bool catalog_ok; /* an entry with a usable standard was given */
};

static void problem(struct sr_result *out, enum sr_problem_code code, const char *field,
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

static int year_of(int32_t day)
{
    int y;
    sr_day_to_ymd(day, &y, NULL, NULL);
    return y;
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
        problem(out, SR_P_KIND_NOT_IN_POLICY, "claim.kind", WHOLE_DOCUMENT);
    } else if (!level) {
        problem(out, c->level == SR_LEVEL_NONE ? SR_P_LEVEL_MISSING : SR_P_LEVEL_NOT_COVERED,
                "claim.level", first->section);
        allow(out, levels, level_at);
    } else if (!variant) {
        problem(out,
                c->variant == SR_VARIANT_NONE ? SR_P_VARIANT_MISSING : SR_P_VARIANT_NOT_COVERED,
                "claim.variant", first->section);
        allow(out, variants, variant_at);
    } else if (!renewal) {
        problem(out, SR_P_RENEWAL_NOT_COVERED, "claim.renewal", first->section);
    } else {
        problem(out, SR_P_VARIANT_NOT_COVERED, "claim.out_of_province", first->section);
    }
    return NULL;
}

static const char *basis_field(enum sr_date_basis basis)
{
    switch (basis) {
    case SR_BASIS_CERTIFICATE:
        return "claim.certificate.issue_date";
    case SR_BASIS_TRAINING_END:
        return "claim.training_end";
    case SR_BASIS_TRAINING_START:
        return "claim.training_start";
    default:
        return "today";
    }
}

static void check_dates(struct eval *e)
{
    const struct sr_claim *c = e->claim;
    const struct sr_rule *r = e->rule;
    switch (r->date_basis) {
    case SR_BASIS_CERTIFICATE:
        e->event_date = c->certificate.issue_date;
        break;
    case SR_BASIS_TRAINING_END:
        e->event_date = c->training_end;
        break;
    case SR_BASIS_TRAINING_START:
        e->event_date = c->training_start;
        break;
    default:
        e->event_date = e->in->today;
        break;
    }
    e->out->trace.event_date = e->event_date;
    e->out->trace.date_basis = sr_basis_names[r->date_basis];
    const char *field = basis_field(r->date_basis);
    if (e->event_date == SR_NO_DATE) {
        /* a missing certificate date is reported by the certificate checks */
        if (r->date_basis != SR_BASIS_CERTIFICATE)
            problem(e->out, SR_P_EVENT_DATE_MISSING, field, e->pol->dates_section);
        e->event_year = e->in->today ? year_of(e->in->today) : 0;
        return;
    }
    e->event_year = year_of(e->event_date);
    const struct sr_policy *pol = e->pol;
    bool in_force = e->event_date >= pol->from && e->event_date <= pol->to;
    bool back = pol->back_from && e->event_date >= pol->back_from && e->event_date <= pol->back_to;
    if (!in_force && !back)
        problem(e->out, SR_P_OUTSIDE_EFFECTIVE_DATES, field, pol->dates_section);
}

static uint32_t effective_groups(const struct sr_policy *pol, uint32_t groups)
{
    if (groups & SR_GROUP_RELATIVE_OF_DISABLED)
        groups |= pol->relative_of_disabled_as;
    if (groups & SR_GROUP_RELATIVE_OF_POOR)
        groups |= pol->relative_of_poor_as;
    return groups;
}

static bool resident(const struct sr_policy *pol, const struct sr_person *p)
{
    const uint32_t b = pol->residency_bases;
    return ((b & SR_RES_HUKOU) && sr_region_within(p->hukou_region, pol->region)) ||
           ((b & SR_RES_RESIDENCE) && sr_region_within(p->residence_region, pol->region)) ||
           ((b & SR_RES_EMPLOYMENT) && sr_region_within(p->employment_region, pol->region)) ||
           ((b & SR_RES_UNEMPLOYMENT) && sr_region_within(p->unemployment_region, pol->region)) ||
           ((b & SR_RES_TRAINING) && sr_region_within(p->training_region, pol->region));
}

static void check_person_identity(struct eval *e, const struct sr_person *p)
{
    enum sr_id_status st = sr_resident_id_check(p->id_number, e->in->today, NULL);
    if (st == SR_ID_BAD_BIRTH_DATE)
        problem(e->out, SR_P_PERSON_ID_BIRTH_DATE_INVALID, "person.id_number", ID_SECTION);
    else if (st != SR_ID_OK)
        problem(e->out, SR_P_PERSON_ID_INVALID, "person.id_number", ID_SECTION);
    if (!resident(e->pol, p))
        problem(e->out, SR_P_RESIDENCY_NOT_MET, "person.hukou_region", e->pol->residency_section);
}

static void check_person(struct eval *e)
{
    const struct sr_rule *r = e->rule;
    const struct sr_person *p = e->in->person;
    if (!r->person_required)
        return;
    if (!p) {
        problem(e->out, SR_P_PERSON_MISSING, "person", r->section);
        return;
    }
    check_person_identity(e, p);
    const struct sr_policy *pol = e->pol;
    if (p->past_retirement_age || (p->groups & SR_GROUP_RETIRED_NO_PENSION)) {
        if (pol->retired_no_pension_covered) {
            if (!(p->groups & SR_GROUP_RETIRED_NO_PENSION))
                problem(e->out, SR_P_PAST_RETIREMENT_AGE, "person.groups", pol->retirement_section);
        } else if (r->working_age_required) {
            problem(e->out, SR_P_PAST_RETIREMENT_AGE, "person.past_retirement_age", r->section);
        }
    }
    if (r->group_term_count) {
        const uint32_t g = effective_groups(pol, p->groups);
        bool ok = false;
        for (int i = 0; i < r->group_term_count && !ok; i++)
            ok = (g & r->group_terms[i]) == r->group_terms[i];
        if (!ok)
            problem(e->out, SR_P_GROUP_NOT_ELIGIBLE, "person.groups", r->section);
    }
}

static void check_employer(struct eval *e)
{
    const struct sr_rule *r = e->rule;
    const struct sr_employer *em = e->in->employer;
    const struct sr_claim *c = e->claim;
    const bool has_code = em && em->credit_code[0];
    if (has_code && sr_credit_code_check(em->credit_code) != SR_ID_OK)
        problem(e->out, SR_P_EMPLOYER_CREDIT_CODE_INVALID, "employer.credit_code", CREDIT_SECTION);
    if (r->employer_required && !has_code)
        problem(e->out, SR_P_EMPLOYER_REQUIRED, "employer.credit_code", r->section);
    if (r->min_ui_months && (!em || em->ui_months < r->min_ui_months))
        problem(e->out, SR_P_UNEMPLOYMENT_INSURANCE_TOO_SHORT, "employer.ui_months", r->section);
    if (r->hire_window_months) {
        if (!em || em->hire_date == SR_NO_DATE)
            problem(e->out, SR_P_HIRE_DATE_MISSING, "employer.hire_date", r->section);
        else if (c->training_start == SR_NO_DATE)
            problem(e->out, SR_P_TRAINING_DATES_MISSING, "claim.training_start", r->section);
        else if (c->training_start < em->hire_date ||
                 c->training_start > sr_day_add_months(em->hire_date, r->hire_window_months))
            problem(e->out, SR_P_HIRE_WINDOW_ELAPSED, "claim.training_start", r->section);
    }
}

static void check_certificate(struct eval *e)
{
    const struct sr_rule *r = e->rule;
    const struct sr_certificate *cert = &e->claim->certificate;
    if (!r->cert_mask)
        return;
    if (cert->kind == SR_CERT_NONE)
        problem(e->out, SR_P_CERTIFICATE_MISSING, "claim.certificate.kind", r->section);
    else if ((unsigned)cert->kind >= 32 || !(r->cert_mask & (1u << cert->kind)))
        problem(e->out, SR_P_CERTIFICATE_KIND_NOT_ACCEPTED, "claim.certificate.kind", r->section);
    if (!cert->number[0])
        problem(e->out, SR_P_CERTIFICATE_NUMBER_MISSING, "claim.certificate.number", r->section);
    if (cert->issue_date == SR_NO_DATE) {
        problem(e->out, SR_P_CERTIFICATE_DATE_MISSING, "claim.certificate.issue_date", r->section);
    } else {
        if (e->in->today != SR_NO_DATE && cert->issue_date > e->in->today)
            problem(e->out, SR_P_CERTIFICATE_DATE_IN_FUTURE, "claim.certificate.issue_date",
                    r->section);
        if (r->certificate_from && cert->issue_date < r->certificate_from)
            problem(e->out, SR_P_CERTIFICATE_DATE_BEFORE_APPRAISAL_START,
                    "claim.certificate.issue_date", r->section);
    }
    if (r->min_issuer && cert->issuer < r->min_issuer)
        problem(e->out, SR_P_CERTIFICATE_ISSUER_TOO_LOW, "claim.certificate.issuer", r->section);
}

static void check_training(struct eval *e)
{
    const struct sr_rule *r = e->rule;
    const struct sr_claim *c = e->claim;
    const bool both = c->training_start != SR_NO_DATE && c->training_end != SR_NO_DATE;
    if (both && c->training_end < c->training_start)
        problem(e->out, SR_P_TRAINING_DATES_INVALID, "claim.training_end", r->section);
    if (r->min_duration_months || r->max_duration_months) {
        if (!both) {
            problem(e->out, SR_P_TRAINING_DATES_MISSING,
                    c->training_start == SR_NO_DATE ? "claim.training_start" : "claim.training_end",
                    r->section);
        } else if (c->training_end >= c->training_start) {
            /* the last day counts: 01-01 .. 03-31 is three months */
            const int32_t after = c->training_end + 1;
            if (r->min_duration_months &&
                after < sr_day_add_months(c->training_start, r->min_duration_months))
                problem(e->out, SR_P_TRAINING_TOO_SHORT, "claim.training_end", r->section);
            if (r->max_duration_months &&
                after > sr_day_add_months(c->training_start, r->max_duration_months))
                problem(e->out, SR_P_TRAINING_TOO_LONG, "claim.training_end", r->section);
        }
    }
    if (r->min_hours) {
        if (c->class_hours <= 0)
            problem(e->out, SR_P_CLASS_HOURS_MISSING, "claim.class_hours", r->section);
        else if (c->class_hours < r->min_hours)
            problem(e->out, SR_P_CLASS_HOURS_BELOW_MINIMUM, "claim.class_hours", r->section);
    }
}

static void range(struct eval *e, int64_t v, int64_t max, const char *field)
{
    if (v < 0 || v > max)
        problem(e->out, SR_P_VALUE_OUT_OF_RANGE, field, WHOLE_DOCUMENT);
}

static int64_t clamp(int64_t v, int64_t max)
{
    return v < 0 ? 0 : v > max ? max : v;
}

static void check_ranges(struct eval *e)
{
    const struct sr_claim *c = e->claim;
    range(e, c->class_hours, MAX_HOURS, "claim.class_hours");
    range(e, c->training_days, MAX_DAYS, "claim.training_days");
    range(e, c->months, MAX_MONTHS, "claim.months");
    range(e, c->semesters, MAX_SEMESTERS, "claim.semesters");
    range(e, c->years, MAX_YEARS, "claim.years");
    range(e, c->actual_cost_fen, SR_MONEY_MAX, "claim.actual_cost_fen");
    range(e, c->enterprise_fee_fen, SR_MONEY_MAX, "claim.enterprise_fee_fen");
    range(e, c->advance_pct, 100, "claim.advance_pct");
}

static void check_catalog(struct eval *e)
{
    const struct sr_rule *r = e->rule;
    const struct sr_catalog_entry *cat = e->in->catalog;
    const struct sr_claim *c = e->claim;
    if (r->catalog_match == SR_CATALOG_NOT_USED)
        return;
    if (!cat) {
        problem(e->out, SR_P_CATALOG_ENTRY_MISSING, "catalog", r->section);
        return;
    }
    e->out->trace.catalog_used = true;
    e->out->trace.catalog = *cat;
    e->out->trace.catalog.occupation[SR_OCCUPATION_LEN - 1] = '\0';
    if (r->catalog_match == SR_CATALOG_OCCUPATION_LEVEL) {
        const enum sr_level want = r->catalog_level ? r->catalog_level : c->level;
        if (strncmp(cat->occupation, c->occupation, SR_OCCUPATION_LEN) != 0)
            problem(e->out, SR_P_CATALOG_ENTRY_MISMATCH, "catalog.occupation", r->section);
        if (cat->level != want)
            problem(e->out, SR_P_CATALOG_ENTRY_MISMATCH, "catalog.level", r->section);
    }
    if (e->event_year && cat->year != e->event_year)
        problem(e->out, SR_P_CATALOG_ENTRY_MISMATCH, "catalog.year", r->section);
    /* the standard matters only where the row takes a figure from the catalog; a shortage
     * check alone reads just the flag */
    if (r->rate_from_catalog || r->cap_from_catalog) {
        if (cat->standard_fen <= 0 || cat->standard_fen > SR_MONEY_MAX ||
            (r->catalog_min_fen && cat->standard_fen < r->catalog_min_fen) ||
            (r->catalog_max_fen && cat->standard_fen > r->catalog_max_fen))
            problem(e->out, SR_P_CATALOG_STANDARD_OUT_OF_RANGE, "catalog.standard_fen", r->section);
        else
            e->catalog_ok = true;
    }
    if (e->catalog_ok &&
        (cat->shortage_uplift_fen < 0 || cat->shortage_uplift_fen >= cat->standard_fen ||
         (cat->shortage_uplift_fen > 0 && !cat->shortage))) {
        problem(e->out, SR_P_CATALOG_STANDARD_OUT_OF_RANGE, "catalog.shortage_uplift_fen",
                r->section);
        e->catalog_ok = false;
    }
    if (r->shortage_required && !cat->shortage)
        problem(e->out, SR_P_OCCUPATION_NOT_SHORTAGE, "catalog.shortage", r->section);
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
        problem(e->out, missing, *field, r->section);
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
        problem(e->out, SR_P_OUTSIDE_EFFECTIVE_DATES,
                lo < from ? "claim.training_start" : "claim.training_end", pol->dates_section);
    return n;
}

static void check_units(struct eval *e)
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
            problem(e->out, SR_P_MONTHS_BEYOND_CERTIFICATE_AGE, "claim.months", r->section);
        cap_units(e, "certificate_age", r->section, since);
    }
    cap_units(e, "effective_dates", e->pol->dates_section, units_in_force(e));
    if (r->claim_window_years && c->certificate.issue_date && e->in->today != SR_NO_DATE &&
        e->in->today > sr_day_add_months(c->certificate.issue_date, 12 * r->claim_window_years))
        problem(e->out, SR_P_CLAIM_WINDOW_ELAPSED, "claim.certificate.issue_date", r->section);
    if (r->by_actual && c->actual_cost_fen <= 0)
        problem(e->out, SR_P_ACTUAL_COST_MISSING, "claim.actual_cost_fen", r->section);
}

static void check_claim_fields(struct eval *e)
{
    const struct sr_rule *r = e->rule;
    const struct sr_claim *c = e->claim;
    /* a row keyed otherwise than by occupation (veterans, seafarers, IYB/SYB...) needs none
     * unless its catalog entry is one of an occupation */
    if (!c->occupation[0] &&
        (r->catalog_match == SR_CATALOG_OCCUPATION_LEVEL ||
         ((r->quota || r->once_ever) && r->same_key == SR_SAME_OCCUPATION_LEVEL)))
        problem(e->out, SR_P_OCCUPATION_MISSING, "claim.occupation", r->section);
    if ((unsigned)c->payee >= 32 || !(r->payee_mask & (1u << c->payee)))
        problem(e->out, SR_P_PAYEE_NOT_ALLOWED, "claim.payee", r->section);
    if (c->advance_pct > 0) {
        if (!r->advance_max_pct || (unsigned)c->payee >= 32 ||
            !(r->advance_payee_mask & (1u << c->payee)))
            problem(e->out, SR_P_ADVANCE_NOT_ALLOWED, "claim.advance_pct", r->section);
        else if (c->advance_pct > r->advance_max_pct)
            problem(e->out, SR_P_ADVANCE_SHARE_ABOVE_MAXIMUM, "claim.advance_pct", r->section);
    }
}

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
static void format_same_key(const struct sr_rule *r, const struct sr_claim *c,
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

static void check_history(struct eval *e)
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
        problem(e->out, SR_P_QUOTA_YEAR_EXHAUSTED, "claim", pol->limits_section);
    if (dup)
        problem(e->out, SR_P_DUPLICATE_OCCUPATION_LEVEL,
                r->same_key == SR_SAME_KIND           ? "claim.kind"
                : r->same_key == SR_SAME_KIND_VARIANT ? "claim.variant"
                                                      : "claim.occupation",
                pol->limits_section);
    if (once)
        problem(e->out, SR_P_ALREADY_GRANTED_ONCE, "claim.occupation", r->section);
    if (yearly)
        problem(e->out, SR_P_ONCE_A_YEAR_USED, "claim.kind", r->section);
    if (grad_skill)
        problem(e->out, SR_P_GRADUATE_SKILL_SUBSIDY_USED, "claim.kind", pol->graduates_section);
    if (grad_entre)
        problem(e->out, SR_P_GRADUATE_ENTREPRENEURSHIP_SUBSIDY_USED, "claim.kind",
                pol->graduates_section);
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

static void compute(struct eval *e)
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

/* Every check of the claim against the chosen row but the person's earlier claims. */
static void check_claim(struct eval *e)
{
    check_dates(e);
    check_person(e);
    check_employer(e);
    check_certificate(e);
    check_training(e);
    check_ranges(e);
    check_catalog(e);
    check_units(e);
    check_claim_fields(e);
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
        problem(e->out, p->code, p->field, p->section);
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
        problem(out, SR_P_CLAIM_MISSING, "claim", WHOLE_DOCUMENT);
        return;
    }
    struct eval e = {.pol = policy, .in = in, .claim = in->claim, .out = out};
    e.rule = select_rule(policy, in->claim, out);
    if (!e.rule) {
        /* still say what else is wrong with the person and the employer, and whatever every
         * row of the kind would find missing or wrong */
        if (in->person)
            check_person_identity(&e, in->person);
        if (in->employer && in->employer->credit_code[0] &&
            sr_credit_code_check(in->employer->credit_code) != SR_ID_OK)
            problem(out, SR_P_EMPLOYER_CREDIT_CODE_INVALID, "employer.credit_code", CREDIT_SECTION);
        common_problems(&e);
        out->eligible = false;
        return;
    }
    t->rule_id = e.rule->id;
    t->rule_section = e.rule->section;
    check_claim(&e);
    check_history(&e);
    t->event_year = e.event_year;
    t->counts_quota = e.rule->quota;
    t->per_year = policy->per_year;
    format_same_key(e.rule, in->claim, t->same_key);
    t->unique_occupation_level =
        e.rule->quota && policy->once_per_occupation_level && !in->claim->renewal && t->same_key[0];
    t->once_per_year = e.rule->once_per_year;
    if (e.rule->catalog_match == SR_CATALOG_OCCUPATION_LEVEL)
        t->catalog_level = e.rule->catalog_level ? e.rule->catalog_level : in->claim->level;
    t->catalog_year_only = e.rule->catalog_match == SR_CATALOG_YEAR_ONLY;
    compute(&e);
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
    problem(out, code, field, NULL);
    out->eligible = false;
    out->amount_fen = 0;
}

void sr_money_format(int64_t fen, char out[24])
{
    const char *sign = fen < 0 ? "-" : "";
    uint64_t v = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    snprintf(out, 24, "%s%llu.%02llu", sign, (unsigned long long)(v / 100),
             (unsigned long long)(v % 100));
}

int sr_unit_cap_text(const struct sr_trace *t, int i, bool chinese, char *buf, size_t len)
{
    static const char *const en[SR_UNIT_COUNT] = {"",       "hours",     "days",
                                                  "months", "semesters", "years"};
    static const char *const zh[SR_UNIT_COUNT] = {"", "课时", "天", "个月", "个学期", "年"};
    if (i < 0 || i >= t->unit_cap_count || !t->unit) {
        if (len)
            buf[0] = '\0';
        return 0;
    }
    const struct sr_unit_cap *c = &t->unit_caps[i];
    enum sr_unit u = SR_UNIT_CLAIM;
    for (int k = 0; k < SR_UNIT_COUNT; k++)
        if (strcmp(sr_unit_names[k], t->unit) == 0)
            u = (enum sr_unit)k;
    const bool age = strcmp(c->reason, "certificate_age") == 0;
    const bool dates = strcmp(c->reason, "effective_dates") == 0;
    if (chinese)
        return snprintf(buf, len, "申领 %d %s，支付 %d %s：%s%s", (int)t->units_claimed, zh[u],
                        (int)c->limit, zh[u], c->section,
                        age     ? " 只计取得证书以来的月数"
                        : dates ? " 只计政策有效期内的部分"
                                : " 规定的上限");
    return snprintf(buf, len, "%d of %d %s paid: %s %s", (int)c->limit, (int)t->units_claimed,
                    en[u], c->section,
                    age     ? "counts only the months since the certificate"
                    : dates ? "counts only the part within the policy's dates"
                            : "sets this maximum");
}

int sr_result_explain(const struct sr_result *res, char *buf, size_t len)
{
    const struct sr_trace *t = &res->trace;
    char a[24], b[24], c[24], d[24];
    char std[320], up[96] = "", lim[96] = "", act[48] = "";
    if (!t->formula)
        return snprintf(buf, len, "%s v%d: no amount (%zu problem%s)",
                        t->policy_id ? t->policy_id : "?", t->policy_version, res->problem_count,
                        res->problem_count == 1 ? "" : "s");
    sr_money_format(t->standard_fen, b);
    if (t->rate_fen > 0 && t->units > 1) {
        sr_money_format(t->rate_fen, a);
        snprintf(std, sizeof std, "%s x %d %s = %s", a, (int)t->units, t->unit, b);
    } else {
        snprintf(std, sizeof std, "standard %s", b);
    }
    if (t->fee_share_pct) {
        char tmp[160];
        sr_money_format(t->rate_fen, a);
        sr_money_format(t->fee_share_fen, c);
        sr_money_format(t->rate_fen * t->units, d);
        snprintf(tmp, sizeof tmp, "max(%s x %d %s = %s, %d%% of fee = %s) = %s", a, (int)t->units,
                 t->unit, d, (int)t->fee_share_pct, c, b);
        snprintf(std, sizeof std, "%s", tmp);
    }
    if (t->unit_cap_count) {
        char cap[120];
        sr_unit_cap_text(t, t->unit_cap_count - 1, false, cap, sizeof cap);
        size_t n = strlen(std);
        snprintf(std + n, sizeof std - n, " [%s]", cap);
    }
    if (t->uplift_compared) {
        size_t n = strlen(std);
        sr_money_format(t->shortage_uplift_fen, a);
        sr_money_format(t->policy_uplift_fen, c);
        sr_money_format(t->base_fen, d);
        if (t->uplift_id)
            snprintf(std + n, sizeof std - n, " (base; policy uplift %s > shortage uplift %s)", c,
                     a);
        else
            snprintf(std + n, sizeof std - n, " (base %s + shortage uplift %s >= policy uplift %s)",
                     d, a, c);
    }
    if (t->uplift_pct) {
        sr_money_format(t->uplift_fen, a);
        sr_money_format(t->standard_fen + t->uplift_fen, c);
        snprintf(up, sizeof up, " + %d%% %s = %s", (int)t->uplift_pct, a, c);
    }
    if (t->cap_fen > 0 && t->rate_fen > 0) {
        sr_money_format(t->cap_fen, a);
        snprintf(lim, sizeof lim, ", cap %s", a);
    }
    if (t->by_actual) {
        sr_money_format(t->actual_cost_fen, a);
        snprintf(act, sizeof act, ", actual %s", a);
    }
    sr_money_format(t->computed_fen, d);
    const bool wrap = lim[0] || act[0];
    char tail[64] = " (not eligible: 0.00)";
    if (res->eligible && t->advance_pct) {
        sr_money_format(t->advance_fen, a);
        snprintf(tail, sizeof tail, "; advance %d%% = %s", (int)t->advance_pct, a);
    } else if (res->eligible) {
        tail[0] = '\0';
    }
    if (!wrap && (up[0] || t->standard_fen == t->computed_fen))
        return snprintf(buf, len, "%s%s%s", std, up, tail); /* already ends in the sum */
    return snprintf(buf, len, "%s%s%s%s%s%s = %s%s", wrap ? "min(" : "", std, up, lim, act,
                    wrap ? ")" : "", d, tail);
}
