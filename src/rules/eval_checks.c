/* The checks of a claim against the row chosen for it: the event date, the person, the
 * employer, the certificate, the training, the ranges of its figures, the catalog entry, and
 * the claim's own fields. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"

static int year_of(int32_t day)
{
    int y;
    sr_day_to_ymd(day, &y, NULL, NULL);
    return y;
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

void sr_eval_check_dates(struct eval *e)
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
            sr_eval_problem(e->out, SR_P_EVENT_DATE_MISSING, field, e->pol->dates_section);
        e->event_year = e->in->today ? year_of(e->in->today) : 0;
        return;
    }
    e->event_year = year_of(e->event_date);
    const struct sr_policy *pol = e->pol;
    bool in_force = e->event_date >= pol->from && e->event_date <= pol->to;
    bool back = pol->back_from && e->event_date >= pol->back_from && e->event_date <= pol->back_to;
    if (!in_force && !back)
        sr_eval_problem(e->out, SR_P_OUTSIDE_EFFECTIVE_DATES, field, pol->dates_section);
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

void sr_eval_check_person_identity(struct eval *e, const struct sr_person *p)
{
    enum sr_id_status st = sr_resident_id_check(p->id_number, e->in->today, NULL);
    if (st == SR_ID_BAD_BIRTH_DATE)
        sr_eval_problem(e->out, SR_P_PERSON_ID_BIRTH_DATE_INVALID, "person.id_number", ID_SECTION);
    else if (st != SR_ID_OK)
        sr_eval_problem(e->out, SR_P_PERSON_ID_INVALID, "person.id_number", ID_SECTION);
    if (!resident(e->pol, p))
        sr_eval_problem(e->out, SR_P_RESIDENCY_NOT_MET, "person.hukou_region",
                        e->pol->residency_section);
}

void sr_eval_check_person(struct eval *e)
{
    const struct sr_rule *r = e->rule;
    const struct sr_person *p = e->in->person;
    if (!r->person_required)
        return;
    if (!p) {
        sr_eval_problem(e->out, SR_P_PERSON_MISSING, "person", r->section);
        return;
    }
    sr_eval_check_person_identity(e, p);
    const struct sr_policy *pol = e->pol;
    if (p->past_retirement_age || (p->groups & SR_GROUP_RETIRED_NO_PENSION)) {
        if (pol->retired_no_pension_covered) {
            if (!(p->groups & SR_GROUP_RETIRED_NO_PENSION))
                sr_eval_problem(e->out, SR_P_PAST_RETIREMENT_AGE, "person.groups",
                                pol->retirement_section);
        } else if (r->working_age_required) {
            sr_eval_problem(e->out, SR_P_PAST_RETIREMENT_AGE, "person.past_retirement_age",
                            r->section);
        }
    }
    if (r->group_term_count) {
        const uint32_t g = effective_groups(pol, p->groups);
        bool ok = false;
        for (int i = 0; i < r->group_term_count && !ok; i++)
            ok = (g & r->group_terms[i]) == r->group_terms[i];
        if (!ok)
            sr_eval_problem(e->out, SR_P_GROUP_NOT_ELIGIBLE, "person.groups", r->section);
    }
}

void sr_eval_check_employer(struct eval *e)
{
    const struct sr_rule *r = e->rule;
    const struct sr_employer *em = e->in->employer;
    const struct sr_claim *c = e->claim;
    const bool has_code = em && em->credit_code[0];
    if (has_code && sr_credit_code_check(em->credit_code) != SR_ID_OK)
        sr_eval_problem(e->out, SR_P_EMPLOYER_CREDIT_CODE_INVALID, "employer.credit_code",
                        CREDIT_SECTION);
    if (r->employer_required && !has_code)
        sr_eval_problem(e->out, SR_P_EMPLOYER_REQUIRED, "employer.credit_code", r->section);
    if (r->min_ui_months && (!em || em->ui_months < r->min_ui_months))
        sr_eval_problem(e->out, SR_P_UNEMPLOYMENT_INSURANCE_TOO_SHORT, "employer.ui_months",
                        r->section);
    if (r->hire_window_months) {
        if (!em || em->hire_date == SR_NO_DATE)
            sr_eval_problem(e->out, SR_P_HIRE_DATE_MISSING, "employer.hire_date", r->section);
        else if (c->training_start == SR_NO_DATE)
            sr_eval_problem(e->out, SR_P_TRAINING_DATES_MISSING, "claim.training_start",
                            r->section);
        else if (c->training_start < em->hire_date ||
                 c->training_start > sr_day_add_months(em->hire_date, r->hire_window_months))
            sr_eval_problem(e->out, SR_P_HIRE_WINDOW_ELAPSED, "claim.training_start", r->section);
    }
}

void sr_eval_check_certificate(struct eval *e)
{
    const struct sr_rule *r = e->rule;
    const struct sr_certificate *cert = &e->claim->certificate;
    if (!r->cert_mask)
        return;
    if (cert->kind == SR_CERT_NONE)
        sr_eval_problem(e->out, SR_P_CERTIFICATE_MISSING, "claim.certificate.kind", r->section);
    else if ((unsigned)cert->kind >= 32 || !(r->cert_mask & (1u << cert->kind)))
        sr_eval_problem(e->out, SR_P_CERTIFICATE_KIND_NOT_ACCEPTED, "claim.certificate.kind",
                        r->section);
    if (!cert->number[0])
        sr_eval_problem(e->out, SR_P_CERTIFICATE_NUMBER_MISSING, "claim.certificate.number",
                        r->section);
    if (cert->issue_date == SR_NO_DATE) {
        sr_eval_problem(e->out, SR_P_CERTIFICATE_DATE_MISSING, "claim.certificate.issue_date",
                        r->section);
    } else {
        if (e->in->today != SR_NO_DATE && cert->issue_date > e->in->today)
            sr_eval_problem(e->out, SR_P_CERTIFICATE_DATE_IN_FUTURE, "claim.certificate.issue_date",
                            r->section);
        if (r->certificate_from && cert->issue_date < r->certificate_from)
            sr_eval_problem(e->out, SR_P_CERTIFICATE_DATE_BEFORE_APPRAISAL_START,
                            "claim.certificate.issue_date", r->section);
    }
    if (r->min_issuer && cert->issuer < r->min_issuer)
        sr_eval_problem(e->out, SR_P_CERTIFICATE_ISSUER_TOO_LOW, "claim.certificate.issuer",
                        r->section);
}

void sr_eval_check_training(struct eval *e)
{
    const struct sr_rule *r = e->rule;
    const struct sr_claim *c = e->claim;
    const bool both = c->training_start != SR_NO_DATE && c->training_end != SR_NO_DATE;
    if (both && c->training_end < c->training_start)
        sr_eval_problem(e->out, SR_P_TRAINING_DATES_INVALID, "claim.training_end", r->section);
    if (r->min_duration_months || r->max_duration_months) {
        if (!both) {
            sr_eval_problem(e->out, SR_P_TRAINING_DATES_MISSING,
                            c->training_start == SR_NO_DATE ? "claim.training_start"
                                                            : "claim.training_end",
                            r->section);
        } else if (c->training_end >= c->training_start) {
            /* the last day counts: 01-01 .. 03-31 is three months */
            const int32_t after = c->training_end + 1;
            if (r->min_duration_months &&
                after < sr_day_add_months(c->training_start, r->min_duration_months))
                sr_eval_problem(e->out, SR_P_TRAINING_TOO_SHORT, "claim.training_end", r->section);
            if (r->max_duration_months &&
                after > sr_day_add_months(c->training_start, r->max_duration_months))
                sr_eval_problem(e->out, SR_P_TRAINING_TOO_LONG, "claim.training_end", r->section);
        }
    }
    if (r->min_hours) {
        if (c->class_hours <= 0)
            sr_eval_problem(e->out, SR_P_CLASS_HOURS_MISSING, "claim.class_hours", r->section);
        else if (c->class_hours < r->min_hours)
            sr_eval_problem(e->out, SR_P_CLASS_HOURS_BELOW_MINIMUM, "claim.class_hours",
                            r->section);
    }
}

static void range(struct eval *e, int64_t v, int64_t max, const char *field)
{
    if (v < 0 || v > max)
        sr_eval_problem(e->out, SR_P_VALUE_OUT_OF_RANGE, field, WHOLE_DOCUMENT);
}

void sr_eval_check_ranges(struct eval *e)
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

void sr_eval_check_catalog(struct eval *e)
{
    const struct sr_rule *r = e->rule;
    const struct sr_catalog_entry *cat = e->in->catalog;
    const struct sr_claim *c = e->claim;
    if (r->catalog_match == SR_CATALOG_NOT_USED)
        return;
    if (!cat) {
        sr_eval_problem(e->out, SR_P_CATALOG_ENTRY_MISSING, "catalog", r->section);
        return;
    }
    e->out->trace.catalog_used = true;
    e->out->trace.catalog = *cat;
    e->out->trace.catalog.occupation[SR_OCCUPATION_LEN - 1] = '\0';
    if (r->catalog_match == SR_CATALOG_OCCUPATION_LEVEL) {
        const enum sr_level want = r->catalog_level ? r->catalog_level : c->level;
        if (strncmp(cat->occupation, c->occupation, SR_OCCUPATION_LEN) != 0)
            sr_eval_problem(e->out, SR_P_CATALOG_ENTRY_MISMATCH, "catalog.occupation", r->section);
        if (cat->level != want)
            sr_eval_problem(e->out, SR_P_CATALOG_ENTRY_MISMATCH, "catalog.level", r->section);
    }
    if (e->event_year && cat->year != e->event_year)
        sr_eval_problem(e->out, SR_P_CATALOG_ENTRY_MISMATCH, "catalog.year", r->section);
    /* the standard matters only where the row takes a figure from the catalog; a shortage
     * check alone reads just the flag */
    if (r->rate_from_catalog || r->cap_from_catalog) {
        if (cat->standard_fen <= 0 || cat->standard_fen > SR_MONEY_MAX ||
            (r->catalog_min_fen && cat->standard_fen < r->catalog_min_fen) ||
            (r->catalog_max_fen && cat->standard_fen > r->catalog_max_fen))
            sr_eval_problem(e->out, SR_P_CATALOG_STANDARD_OUT_OF_RANGE, "catalog.standard_fen",
                            r->section);
        else
            e->catalog_ok = true;
    }
    if (e->catalog_ok &&
        (cat->shortage_uplift_fen < 0 || cat->shortage_uplift_fen >= cat->standard_fen ||
         (cat->shortage_uplift_fen > 0 && !cat->shortage))) {
        sr_eval_problem(e->out, SR_P_CATALOG_STANDARD_OUT_OF_RANGE, "catalog.shortage_uplift_fen",
                        r->section);
        e->catalog_ok = false;
    }
    if (r->shortage_required && !cat->shortage)
        sr_eval_problem(e->out, SR_P_OCCUPATION_NOT_SHORTAGE, "catalog.shortage", r->section);
}

void sr_eval_check_claim_fields(struct eval *e)
{
    const struct sr_rule *r = e->rule;
    const struct sr_claim *c = e->claim;
    /* a row keyed otherwise than by occupation (veterans, seafarers, IYB/SYB...) needs none
     * unless its catalog entry is one of an occupation */
    if (!c->occupation[0] &&
        (r->catalog_match == SR_CATALOG_OCCUPATION_LEVEL ||
         ((r->quota || r->once_ever) && r->same_key == SR_SAME_OCCUPATION_LEVEL)))
        sr_eval_problem(e->out, SR_P_OCCUPATION_MISSING, "claim.occupation", r->section);
    if ((unsigned)c->payee >= 32 || !(r->payee_mask & (1u << c->payee)))
        sr_eval_problem(e->out, SR_P_PAYEE_NOT_ALLOWED, "claim.payee", r->section);
    if (c->advance_pct > 0) {
        if (!r->advance_max_pct || (unsigned)c->payee >= 32 ||
            !(r->advance_payee_mask & (1u << c->payee)))
            sr_eval_problem(e->out, SR_P_ADVANCE_NOT_ALLOWED, "claim.advance_pct", r->section);
        else if (c->advance_pct > r->advance_max_pct)
            sr_eval_problem(e->out, SR_P_ADVANCE_SHARE_ABOVE_MAXIMUM, "claim.advance_pct",
                            r->section);
    }
}
