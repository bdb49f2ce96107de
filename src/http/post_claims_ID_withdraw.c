/* POST /v1/claims/{id}/withdraw: the owner withdraws a claim before a decision, with an
 * optional reason; its place in the yearly quota is given back.  The person an enterprise's
 * claim is about may withdraw it too (it uses their quota); the timeline names the role that
 * acted.  409 once approved, rejected or withdrawn.  Idempotent by key; audited. */
#include "claims.h"

void post_claims_ID_withdraw(struct req *r)
{
    struct call call = req_call(r, flow_claim_withdraw);
    if (!call_path_id(r, &call))
        return;
    const struct jfield spec[] = {
        {.name = "reason", .kind = JF_STRING, .min = 1, .max = 500, .out = &call.args.in.reason},
    };
    if (!jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0])) {
        reply_field_errors(r, SD_E_VALIDATION_FAILED);
        return;
    }
    call_keyed(r, &call);
}
