/* POST /v1/claims/{id}/verify: an approver of the claim's region verifies a 告知承诺 claim drawn
 * into the sample — body {"outcome": "confirmed" | "false_commitment", "note"}: confirmed lifts
 * the hold that keeps it from being paid; false_commitment rejects it (reason code
 * commitment_false, the quota place given back) and flags it for clawback.  409
 * claim_not_sampled, claim_already_verified, claim_not_verifiable; 403 review_own_interest; 409
 * claim_assigned while another approver holds it.  Idempotent by key; on the timeline and
 * audited (flow/claim_verify.c). */
#include "claims.h"

void post_claims_ID_verify(struct req *r)
{
    static const char *const outcomes[] = {"confirmed", "false_commitment", NULL};
    struct call call = req_call(r, flow_claim_verify);
    struct claim_verify_in in = {0};
    call.args.in.verify = &in;
    if (!call_path_id(r, &call))
        return;
    const struct jfield spec[] = {
        {.name = "outcome",
         .kind = JF_STRING,
         .required = true,
         .min = 9,
         .max = 16,
         .one_of = outcomes,
         .out = &in.outcome},
        {.name = "note", .kind = JF_STRING, .min = 1, .max = 500, .out = &in.note},
    };
    jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0]);
    if (reply_field_errors(r, SD_E_VALIDATION_FAILED))
        return;
    call_keyed(r, &call);
}
