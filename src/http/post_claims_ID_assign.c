/* POST /v1/claims/{id}/assign: an approver of the claim's city (the supervisor of its
 * districts) gives the claim to another approver of its region, {"approver_token_id"}: the
 * hold's expiry stays (a claim nobody holds is taken from the queue on their behalf, for
 * --review-assign-minutes).  403 assign_not_supervisor, 422 assignee_not_approver.  Idempotent
 * by key; on the timeline and audited. */
#include "claims.h"

void post_claims_ID_assign(struct req *r)
{
    struct call call = req_call(r, flow_claim_assign);
    struct claim_assign_in in = {.approver_token_id = 0,
                                 .assign_minutes = (int)config.review_assign_minutes};
    call.args.in.assign = &in;
    if (!call_path_id(r, &call))
        return;
    const struct jfield spec[] = {
        {.name = "approver_token_id",
         .kind = JF_INT,
         .required = true,
         .min = 1,
         .max = 9007199254740991LL,
         .out = &in.approver_token_id},
    };
    jspec_body(r, r->json, spec, 1);
    if (reply_field_errors(r, SD_E_VALIDATION_FAILED))
        return;
    call_keyed(r, &call);
}
