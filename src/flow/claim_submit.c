/* Creating and submitting a claim: a draft is stored as given; a submission is judged inside
 * the transaction on what the database holds and written when it passes, refused with every
 * problem otherwise (claim.h). */
#include "claim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The codes that are a conflict with what the person already has, rather than a fault of the
 * claim: a 409 when they are the only problems. */
static enum sd_err conflict_code(enum sr_problem_code code)
{
    switch (code) {
    case SR_P_QUOTA_YEAR_EXHAUSTED:
        return SD_E_QUOTA_YEAR_EXHAUSTED;
    case SR_P_DUPLICATE_OCCUPATION_LEVEL:
    case SR_P_ALREADY_GRANTED_ONCE:
        return SD_E_DUPLICATE_OCCUPATION_LEVEL;
    case SR_P_ONCE_A_YEAR_USED:
    case SR_P_GRADUATE_SKILL_SUBSIDY_USED:
    case SR_P_GRADUATE_ENTREPRENEURSHIP_SUBSIDY_USED:
        return SD_E_ONCE_A_YEAR_USED;
    default:
        return SD_E_CLAIM_NOT_ELIGIBLE;
    }
}

static enum db_rc refuse_not_granted(const struct flow_caller *c, const struct judgement *j,
                                     struct flow_result *res)
{
    const struct sr_result *r = &j->result;
    enum sd_err code =
        r->problem_count ? conflict_code(r->problems[0].code) : SD_E_CLAIM_NOT_ELIGIBLE;
    for (size_t i = 1; i < r->problem_count; i++)
        if (conflict_code(r->problems[i].code) != code)
            code = SD_E_CLAIM_NOT_ELIGIBLE;
    json_t *decision = cj_result(r);
    employment_trace(&j->employment, decision);
    char detail[64];
    snprintf(detail, sizeof detail, c->errors->lang_en ? "%zu problem(s)" : "共 %zu 处问题",
             r->problem_count);
    return flow_refuse(res, code, detail,
                       json_pack("{s:O, s:o}", "problems", json_object_get(decision, "problems"),
                                 "decision", decision));
}

/* What the write says of a conflict the judgement could not see (a concurrent submission, the
 * certificate another person's or paid already). */
static enum db_rc refuse_conflict(enum db_claim_write_outcome outcome, struct flow_result *res)
{
    switch (outcome) {
    case DB_CLAIM_WRITTEN:
        return DB_OK;
    case DB_CLAIM_QUOTA_EXHAUSTED:
        return flow_refuse(res, SD_E_QUOTA_YEAR_EXHAUSTED, NULL, NULL);
    case DB_CLAIM_ONCE_A_YEAR_USED:
        return flow_refuse(res, SD_E_ONCE_A_YEAR_USED, NULL, NULL);
    case DB_CLAIM_CERTIFICATE_HELD_BY_OTHER:
        return flow_refuse(res, SD_E_CERTIFICATE_HELD_BY_OTHER, NULL, NULL);
    case DB_CLAIM_CERTIFICATE_USED:
        return flow_refuse(res, SD_E_CERTIFICATE_USED, NULL, NULL);
    case DB_CLAIM_SAME_OCCUPATION_LEVEL:
        break;
    }
    return flow_refuse(res, SD_E_DUPLICATE_OCCUPATION_LEVEL, NULL, NULL);
}

/* Without the person's row (their own fields are wrong, and named), what the rule module says
 * of "the person" is only that it has none. */
static void drop_person_problems(json_t *problems, bool has_person)
{
    for (size_t i = json_array_size(problems); !has_person && i-- > 0;) {
        const char *field =
            json_string_value(json_object_get(json_array_get(problems, i), "field"));
        if (field && jfield_within(field, "person"))
            json_array_remove(problems, i);
    }
}

/* The decided fields of a passed judgement into w; decision is the one to store. */
static enum db_rc decided(const struct flow_caller *c, struct db_conn *db,
                          const struct judgement *j, const struct sr_policy *policy,
                          const char *decision_text, char due[SR_DATE_STRLEN],
                          struct db_claim_write *w)
{
    const struct sr_trace *t = &j->result.trace;
    if (j->employment.looked_up)
        w->employer = j->employment.credit_code[0] ? j->employment.credit_code : NULL;
    w->year = t->event_year;
    w->per_year = t->per_year;
    w->counts_quota = t->counts_quota;
    w->unique_occupation_level = t->unique_occupation_level;
    w->same_key = t->same_key;
    w->once_per_year = t->once_per_year;
    w->policy_id = sr_policy_id(policy);
    w->policy_version = sr_policy_version(policy);
    w->catalog_id = t->catalog_used ? j->ctx.catalog_id : 0;
    w->amount_fen = j->result.amount_fen;
    w->decision_json = decision_text;
    w->review_due = due;
    const struct sr_certificate *cert = &j->cr.claim.certificate;
    if (cert->number[0] && cert->kind != SR_CERT_NONE) { /* paid once: tied in the write */
        w->certificate_kind = sr_cert_kind_name(cert->kind);
        w->certificate_number = cert->number;
    }
    int days;
    enum db_rc rc = review_days_for(db, "claim", w->policy_id, w->region, c->review_days, &days);
    return rc == DB_OK ? review_due(db, c->today, days, due, &w->review_due_estimated) : rc;
}

/* Judge (when submitting) and write s: a new claim, or the draft s->claim_id. */
static enum db_rc submission_run(const struct flow_caller *c, struct db_conn *db,
                                 const struct submission *s, struct judgement *j,
                                 struct flow_result *res)
{
    struct claim_in in;
    claim_input_read(s->input, &in);
    const struct sr_policy *policy = NULL;
    enum db_rc rc = s->submit ? claim_judge(c, db, s, &in, j, &policy, res) : DB_OK;
    if (rc != DB_OK)
        return rc;
    if (jerr_count(c->errors) > 0) { /* field problems and the rules' others */
        json_t *problems = cj_other_problems(c->errors, &j->result);
        drop_person_problems(problems, j->cr.has_person);
        return flow_invalid(res,
                            j->employment.not_insured ? SD_E_NOT_INSURED_WITH_ENTERPRISE
                                                      : SD_E_VALIDATION_FAILED,
                            json_pack("{s:o}", "problems", problems));
    }
    if (s->submit && !j->result.eligible)
        return refuse_not_granted(c, j, res);
    char *input_text = json_dumps(s->input, JSON_COMPACT | JSON_PRESERVE_ORDER);
    struct db_claim_write w = {.actor = c->who->token_id,
                               .request_id = c->request_id,
                               .owner_role = s->owner_role,
                               .owner_subject = s->owner_subject,
                               .person_id = s->submit ? j->person_id : s->person_id,
                               .region = in.region,
                               .employer = claim_employer(s->owner_role, s->owner_subject, &in),
                               .kind = json_string_value(json_object_get(in.claim, "kind")),
                               .occupation =
                                   json_string_value(json_object_get(in.claim, "occupation")),
                               .level = json_string_value(json_object_get(in.claim, "level")),
                               .input_json = input_text,
                               .employee_name = s->employee_name,
                               .submit = s->submit,
                               .commitment = json_is_true(json_object_get(in.claim, "commitment"))};
    json_t *decision = s->submit ? cj_result(&j->result) : NULL;
    char *decision_text = NULL, *json = NULL, due[SR_DATE_STRLEN] = "";
    rc = input_text ? DB_OK : DB_HARD;
    if (rc == DB_OK && s->submit) {
        employment_trace(&j->employment, decision);
        decision_text = json_dumps(decision, JSON_COMPACT | JSON_PRESERVE_ORDER);
        rc = decision_text ? decided(c, db, j, policy, decision_text, due, &w) : DB_HARD;
    }
    enum db_claim_write_outcome outcome = DB_CLAIM_WRITTEN;
    if (rc == DB_OK)
        rc = s->claim_id ? db_claim_submit(db, s->claim_id, s->from_state, &w, &json, &outcome)
                         : db_claim_insert(db, &w, &json, &outcome);
    json_t *claim = rc == DB_OK && json ? json_loads(json, 0, NULL) : NULL;
    if (rc != DB_OK)
        rc = flow_db(res, rc);
    else if (outcome != DB_CLAIM_WRITTEN)
        rc = refuse_conflict(outcome, res);
    else if (!claim)
        rc = flow_db(res, DB_HARD);
    if (rc == DB_OK) {
        json_object_set(claim, "decision", decision ? decision : json_null());
        flow_done(res, s->claim_id ? 200 : 201, claim);
        claim = NULL;
    }
    json_decref(claim);
    json_decref(decision);
    free(json);
    free(decision_text);
    free(input_text);
    return rc;
}

static enum db_rc submission(const struct flow_caller *c, struct db_conn *db,
                             const struct submission *s, struct flow_result *res)
{
    struct judgement *j = calloc(1, sizeof *j);
    enum db_rc rc = j ? submission_run(c, db, s, j, res) : flow_db(res, DB_HARD);
    if (j) {
        db_claim_context_free(&j->ctx);
        db_person_free(&j->person);
    }
    free(j);
    return rc;
}

enum db_rc flow_claim_create(const struct flow_caller *c, struct db_conn *db,
                             const struct flow_args *args, struct flow_result *res)
{
    const struct claim_create *in = args->in.create;
    struct db_person person = {0};
    bool has_person = true;
    enum db_rc rc;
    if (c->who->role == SD_ROLE_APPLICANT) {
        rc = db_person_by_owner(db, c->who->subject, &person);
        if (rc == DB_NOT_FOUND)
            return flow_refuse(res, SD_E_PROFILE_REQUIRED, NULL, NULL);
    } else if (in->employee && in->submit) { /* found or added with the claim's context */
        rc = DB_OK;
    } else if (in->employee) {
        rc = db_person_employee(db, &in->employee->w, &person);
    } else { /* the employee's own fields are wrong: the claim is judged without them */
        rc = DB_OK;
        has_person = false;
    }
    if (rc != DB_OK)
        return flow_db(res, rc);
    bool judged_with_context = c->who->role != SD_ROLE_APPLICANT && in->employee && in->submit;
    const struct submission s = {.input = in->input,
                                 .person_id = has_person ? person.id : 0,
                                 .person = has_person && !judged_with_context ? &person : NULL,
                                 .employee = judged_with_context ? &in->employee->w : NULL,
                                 .owner_role = flow_role(c),
                                 .owner_subject = c->who->subject,
                                 .employee_name = in->employee_name,
                                 .submit = in->submit};
    rc = submission(c, db, &s, res);
    db_person_free(&person);
    return rc;
}

enum db_rc claim_submit_locked(const struct flow_caller *c, struct db_conn *db, long long id,
                               const struct db_claim_locked *k, const json_t *input,
                               struct flow_result *res)
{
    const struct submission s = {.input = input,
                                 .person_id = k->person_id,
                                 .claim_id = id,
                                 .from_state = k->state,
                                 .owner_role = k->owner_role,
                                 .owner_subject = k->owner_subject,
                                 .submit = true};
    return submission(c, db, &s, res);
}

enum db_rc flow_claim_submit(const struct flow_caller *c, struct db_conn *db,
                             const struct flow_args *args, struct flow_result *res)
{
    long long id = args->id;
    struct db_claim_locked k;
    enum db_rc rc = claim_lock_owned(c, db, id, &k, res);
    if (rc == DB_OK)
        rc = claim_may(c, &k, SR_CLAIM_SUBMIT, res);
    json_t *input = rc == DB_OK ? json_loads(k.input_json, 0, NULL) : NULL;
    if (rc == DB_OK && !input)
        rc = flow_db(res, DB_HARD);
    if (rc == DB_OK)
        rc = claim_submit_locked(c, db, id, &k, input, res);
    json_decref(input);
    free(k.input_json);
    return rc;
}
