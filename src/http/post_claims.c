/* POST /v1/claims: an applicant (for themselves, from their profile) or an enterprise (for an
 * employee, whose quota counts as their own) creates a claim as a draft, or submits it at once
 * ("submit": true).  A submission is judged inside the transaction on what the database holds;
 * it is accepted (201, submitted, with its review deadline and the decision) or refused with
 * every problem (422, or 409 for the quota and "once" rules).  Idempotent by key.  With
 * "dry_run": true the same transaction runs on the same data and is rolled back: the reply is
 * what the submission would answer, and nothing is written. */
#include <stdlib.h>

#include "claims.h"

struct create {
    struct flow_caller caller;
    struct claim_in in;
    json_t *input;
    struct person_sealed employee; /* enterprises: the employee */
    bool employee_ok;              /* ... when its fields are right */
};

static enum db_rc create(struct req *r, struct db_conn *c, void *cls, unsigned *status,
                         json_t **reply)
{
    struct create *x = cls;
    const struct claim_create in = {.input = x->input,
                                    .submit = x->in.submit,
                                    .employee = x->employee_ok ? &x->employee : NULL,
                                    .employee_name = x->in.employee ? x->in.emp.name : NULL};
    struct flow_result res = {0};
    enum db_rc rc = flow_claim_create(&x->caller, c, &in, &res);
    return reply_flow(r, rc, &res, status, reply);
}

void post_claims(struct req *r)
{
    struct create x = {.caller = req_caller(r)};
    claim_body_parse(r, r->json, true, x.caller.today, &x.in);
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    /* an enterprise claims only once registered (an applicant's profile is read in the
     * transaction); asked with the regions, in one round trip */
    bool enterprise = r->who.role == SD_ROLE_ENTERPRISE, registered = false;
    enum db_rc rc = claim_check_refs(r, db, &x.in, enterprise ? r->who.subject : NULL, &registered);
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    /* A submission with field problems is still judged on the rest in the transaction, so
     * that one reply names everything; without its region or claim object it cannot be. */
    bool judge_rest =
        x.in.submit && x.in.claim && x.in.region && !jerr_has_field(&r->errors, "region");
    if (!judge_rest && reply_field_errors(r, SD_E_VALIDATION_FAILED))
        return;
    if (enterprise && !registered) {
        reply_problem(r, SD_E_ENTERPRISE_NOT_REGISTERED, NULL);
        return;
    }
    x.input = claim_input(&x.caller, &x.in);
    x.employee_ok = x.in.employee && !jerr_has_within(&r->errors, "employee");
    if (x.employee_ok)
        person_seal(&pii_keys, &x.in.emp, NULL, &x.employee);
    if (!x.input)
        reply_problem(r, SD_E_INTERNAL, NULL);
    else if (x.in.dry_run)
        dry_run(r, create, &x);
    else
        idempotent(r, create, &x);
    json_decref(x.input);
    person_sealed_free(&x.employee);
}
