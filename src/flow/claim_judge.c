/* The judgement of a submission inside its transaction: the rule module run twice — once to
 * learn which year, catalog entry and event date the claim turns on, once more on what the
 * database holds for them (claim.h). */
#include "claim.h"

#include <stdio.h>
#include <string.h>

#include "log.h"

_Static_assert(DB_CLAIM_HISTORY_MAX == CJ_MAX_HISTORY,
               "the history read is the history the rule module takes");

const char *claim_employer(const char *owner_role, const char *owner_subject,
                           const struct claim_in *in)
{
    if (in->employer_code)
        return in->employer_code;
    return strcmp(owner_role, "enterprise") == 0 ? owner_subject : NULL;
}

static void history_to_rules(const struct db_claim_context *ctx, struct cj_request *cr)
{
    cr->history_len = 0;
    for (size_t i = 0; i < ctx->history_len; i++) {
        const struct db_claim_history *h = &ctx->history[i];
        struct sr_history_entry *e = &cr->history[cr->history_len++];
        memset(e, 0, sizeof *e);
        e->year = h->year;
        snprintf(e->occupation, sizeof e->occupation, "%s", h->occupation);
        sr_level_parse(h->level, &e->level);
        sr_kind_parse(h->kind, &e->kind);
        sr_claim_state_parse(h->state, &e->state);
        e->renewal = h->renewal;
    }
}

/* A person with more earlier claims than a judgement reads is not judged on part of them:
 * one more problem, and the claim is not granted. */
static void history_problem(const struct db_claim_context *ctx, struct sr_result *res)
{
    if (ctx->history_total <= (long long)ctx->history_len)
        return;
    flow_problem_add(res, SR_P_HISTORY_TOO_LONG, "person");
}

/* What the context read gives the rule module: the catalog entry, the employer's listing and
 * region, the history. */
static void context_to_rules(const struct submission *s, const struct db_claim_context *ctx,
                             enum sr_level catalog_level, struct cj_request *cr)
{
    if (ctx->has_catalog) {
        cr->has_catalog = true;
        struct sr_catalog_entry *e = &cr->catalog;
        snprintf(e->occupation, sizeof e->occupation, "%s", cr->claim.occupation);
        e->level = catalog_level;
        e->standard_fen = ctx->standard_fen;
        e->shortage = ctx->shortage;
        e->year = ctx->catalog_year;
        e->shortage_uplift_fen = ctx->shortage_uplift_fen;
    }
    if (ctx->trade_friction_listed) {
        cr->employer.trade_friction_listed = true;
        sr_day_parse(ctx->trade_friction_from, &cr->employer.trade_friction_from);
        if (ctx->trade_friction_to[0])
            sr_day_parse(ctx->trade_friction_to, &cr->employer.trade_friction_to);
    }
    if (ctx->employer_region[0] && !cr->person.employment_region &&
        strcmp(s->owner_role, "enterprise") == 0)
        cr->person.employment_region = flow_rule_region(ctx->employer_region);
    history_to_rules(ctx, cr);
}

/* The claim object and the person into j->cr; false when it cannot be judged (our bug). */
static enum db_rc parse_request(const struct flow_caller *c, struct db_conn *db,
                                const struct submission *s, const struct claim_in *in,
                                struct judgement *j)
{
    /* A body with field problems is still judged on whatever parsed, so that its one reply
     * names everything to fix; the claim object's own problems are already among them. */
    bool faulty = jerr_count(c->errors) > 0;
    struct db_person read = {0};
    const struct db_person *row = s->person;
    if (!row && s->person_id) {
        enum db_rc rc = db_person_by_id(db, s->person_id, &read);
        if (rc != DB_OK)
            return rc == DB_NOT_FOUND ? DB_HARD : rc;
        row = &read;
    }
    char region[8];
    snprintf(region, sizeof region, "%d", (int)flow_rule_region(in->region));
    json_t *probe = json_pack("{s:s, s:O}", "region", region, "claim", in->claim);
    struct jerrors again = {.lang_en = c->errors->lang_en};
    if (probe) /* a stored draft that no longer parses (the claim object's rules changed) is
                  named field by field */
        cj_parse(faulty ? &again : c->errors, probe, c->today, &j->cr);
    jerr_clear(&again);
    json_decref(probe);
    bool person_ok = !row || person_to_rules(c->pii, row, &j->cr.person);
    db_person_free(&read);
    if (!probe)
        return DB_HARD;
    if (!person_ok) {
        log_bug("a sealed ID number does not open",
                json_pack("{s:s}", "request_id", c->request_id));
        return DB_HARD;
    }
    j->cr.has_person = row != NULL; /* none: an employee whose own fields are wrong */
    return DB_OK;
}

/* The first pass: which year, catalog entry and listing date the claim turns on, as the key of
 * the context read (its strings in f). */
struct first_pass {
    struct db_claim_context_key key;
    char event_date[SR_DATE_STRLEN], today[SR_DATE_STRLEN];
    const struct sr_policy *policy;
    const char *employer;
};

static enum db_rc first_pass(const struct flow_caller *c, struct db_conn *db,
                             const struct submission *s, const struct claim_in *in,
                             struct judgement *j, struct first_pass *f, struct flow_result *res)
{
    enum db_rc rc = parse_request(c, db, s, in, j);
    if (rc != DB_OK)
        return flow_db(res, rc);
    const struct sr_policy *p = cj_policy(c->policies, &j->cr, c->errors);
    if (!p)
        return flow_invalid(res, SD_E_VALIDATION_FAILED, NULL);
    const char *employer = claim_employer(s->owner_role, s->owner_subject, in);
    if (employer) {
        j->cr.has_employer = true;
        snprintf(j->cr.employer.credit_code, sizeof j->cr.employer.credit_code, "%s", employer);
        j->cr.employer.ui_months = (int32_t)in->ui_months;
        j->cr.employer.hire_date = SR_NO_DATE;
        if (in->hire_date)
            sr_day_parse(in->hire_date, &j->cr.employer.hire_date);
        j->cr.employer.trade_friction_from = j->cr.employer.trade_friction_to = SR_NO_DATE;
    }
    struct sr_input si;
    cj_input(&j->cr, &si);
    sr_evaluate(p, &si, &j->result);
    const struct sr_trace *t = &j->result.trace;
    f->event_date[0] = '\0';
    if (t->event_date != SR_NO_DATE)
        sr_day_format(t->event_date, f->event_date);
    sr_day_format(c->today, f->today);
    f->key = (struct db_claim_context_key){
        .person_id = s->person_id,
        .claim_id = s->claim_id,
        .policy_id = sr_policy_id(p),
        .year = t->event_year,
        .occupation = j->cr.claim.occupation,
        .catalog_level = t->catalog_level ? sr_level_name(t->catalog_level) : NULL,
        .catalog_year_only = t->catalog_year_only,
        .employer = employer,
        .event_date = f->event_date,
        .today = f->today,
    };
    f->policy = p;
    f->employer = employer;
    return DB_OK;
}

/* An employee as the enterprise sent them, before the row is read: borrowed from w. */
static void person_as_written(const struct db_person_write *w, struct db_person *p)
{
    memset(p, 0, sizeof *p);
    p->id_sealed = (char *)w->id_sealed; /* borrowed, never freed */
    p->groups_json = (char *)w->groups_json;
    for (int i = 0; i < 5; i++)
        snprintf(p->regions[i], sizeof p->regions[i], "%s", w->regions[i] ? w->regions[i] : "");
    p->past_retirement_age = w->past_retirement_age;
}

/* Does the row held say of the person what the rules were given? */
static bool person_same(const struct flow_caller *c, const struct db_person *row,
                        const struct sr_person *given)
{
    struct sr_person held;
    if (!person_to_rules(c->pii, row, &held))
        return false;
    return strcmp(held.id_number, given->id_number) == 0 &&
           held.hukou_region == given->hukou_region &&
           held.residence_region == given->residence_region &&
           held.employment_region == given->employment_region &&
           held.unemployment_region == given->unemployment_region &&
           held.training_region == given->training_region && held.groups == given->groups &&
           held.past_retirement_age == given->past_retirement_age;
}

/* The context of an employee found or added in its round trip: judged on the body's person
 * first; when the row held says otherwise (an employee known before), the first pass runs again
 * on the row and the context is read again by its id. */
static enum db_rc employee_context(const struct flow_caller *c, struct db_conn *db,
                                   const struct submission *s, const struct claim_in *in,
                                   struct judgement *j, struct first_pass *f,
                                   struct flow_result *res)
{
    enum db_rc rc = db_person_employee_context(db, s->employee, &f->key, &j->person, &j->ctx);
    if (rc != DB_OK)
        return flow_db(res, rc);
    j->person_id = j->person.id;
    if (person_same(c, &j->person, &j->cr.person))
        return DB_OK;
    db_claim_context_free(&j->ctx);
    struct submission held = *s;
    held.employee = NULL;
    held.person = &j->person;
    held.person_id = j->person.id;
    rc = first_pass(c, db, &held, in, j, f, res);
    if (rc != DB_OK)
        return rc;
    rc = db_claim_context(db, &f->key, &j->ctx);
    return rc == DB_OK ? DB_OK : flow_db(res, rc);
}

enum db_rc claim_judge(const struct flow_caller *c, struct db_conn *db, const struct submission *s,
                       const struct claim_in *in, struct judgement *j,
                       const struct sr_policy **policy, struct flow_result *res)
{
    *policy = NULL;
    struct first_pass f;
    struct db_person sent;
    struct submission body = *s;
    if (s->employee) { /* not read yet: the first pass is on the person as sent */
        person_as_written(s->employee, &sent);
        body.person = &sent;
    }
    enum db_rc rc = first_pass(c, db, &body, in, j, &f, res);
    if (rc != DB_OK)
        return rc;
    if (s->employee) {
        rc = employee_context(c, db, s, in, j, &f, res);
        if (rc != DB_OK)
            return rc;
    } else {
        j->person_id = s->person_id;
        rc = db_claim_context(db, &f.key, &j->ctx);
        if (rc != DB_OK)
            return flow_db(res, rc);
    }
    const struct sr_trace *t = &j->result.trace;
    enum sr_level catalog_level = t->catalog_level;
    /* the employer is the records' on the event date, not the body's word */
    employment_apply(c->errors, s->owner_role, f.employer, f.event_date, j->ctx.employment_json,
                     &j->cr, &j->employment);
    context_to_rules(s, &j->ctx, catalog_level, &j->cr);
    struct sr_input si;
    cj_input(&j->cr, &si);
    sr_evaluate(f.policy, &si, &j->result);
    employment_problems(&j->employment, &j->result);
    history_problem(&j->ctx, &j->result);
    claim_occupation_known(&j->ctx, &j->result);
    *policy = f.policy;
    return DB_OK;
}
