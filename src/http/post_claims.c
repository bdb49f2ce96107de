/* POST /v1/claims: an applicant (for themselves, from their profile) or an enterprise (for an
 * employee, whose quota counts as their own) creates a claim as a draft, or submits it at once
 * ("submit": true).  A submission is judged inside the transaction on what the database holds;
 * it is accepted (201, submitted, with its review deadline and the decision) or refused with
 * every problem (422, or 409 for the quota and "once" rules).  Idempotent by key.  With
 * "dry_run": true the same transaction runs on the same data and is rolled back: the reply is
 * what the submission would answer, and nothing is written. */
#include <stdlib.h>

#include "claims.h"

void post_claims(struct req *r)
{
    struct call call = req_call(r, flow_claim_create);
    struct claim_in in;
    claim_body_parse(r, r->json, true, call.caller.today, &in);
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    /* an enterprise claims only once registered (an applicant's profile is read in the
     * transaction); asked with the regions, in one round trip */
    bool enterprise = r->who.role == SD_ROLE_ENTERPRISE, registered = false;
    enum db_rc rc = claim_check_refs(r, db, &in, enterprise ? r->who.subject : NULL, &registered);
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    /* A submission with field problems is still judged on the rest in the transaction, so
     * that one reply names everything; without its region or claim object it cannot be. */
    bool judge_rest = in.submit && in.claim && in.region && !jerr_has_field(&r->errors, "region");
    if (!judge_rest && reply_field_errors(r, SD_E_VALIDATION_FAILED))
        return;
    if (enterprise && !registered) {
        reply_problem(r, SD_E_ENTERPRISE_NOT_REGISTERED, NULL);
        return;
    }
    struct person_sealed employee = {0}; /* enterprises: the employee, when its fields are right */
    bool employee_ok = in.employee && !jerr_has_within(&r->errors, "employee");
    if (employee_ok)
        person_seal(&pii_keys, &in.emp, NULL, &employee);
    json_t *input = claim_input(&call.caller, &in);
    const struct claim_create create = {.input = input,
                                        .submit = in.submit,
                                        .employee = employee_ok ? &employee : NULL,
                                        .employee_name = in.employee ? in.emp.name : NULL};
    call.args.in.create = &create;
    if (!input)
        reply_problem(r, SD_E_INTERNAL, NULL);
    else
        (in.dry_run ? call_dry_run : call_keyed)(r, &call);
    json_decref(input);
    person_sealed_free(&employee);
}
