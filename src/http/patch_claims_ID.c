/* PATCH /v1/claims/{id}: the owner replaces a draft's region, claim and employer (the person
 * stays).  Only drafts change: 409 otherwise.  Idempotent by key; on the timeline and audited. */
#include "claims.h"

void patch_claims_ID(struct req *r)
{
    struct call call = req_call(r, flow_claim_edit);
    if (!call_path_id(r, &call))
        return;
    struct claim_in in;
    claim_body_parse(r, r->json, false, call.caller.today, &in);
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    bool unused;
    enum db_rc rc = claim_check_refs(r, db, &in, NULL, &unused);
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    if (reply_field_errors(r, SD_E_VALIDATION_FAILED))
        return;
    json_t *input = claim_input(&call.caller, &in);
    call.args.in.input = input;
    if (!input)
        reply_problem(r, SD_E_INTERNAL, NULL);
    else
        call_keyed(r, &call);
    json_decref(input);
}
