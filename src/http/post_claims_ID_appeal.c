/* POST /v1/claims/{id}/appeal: the owner appeals (复议) the claim's rejection, once, within
 * --appeal-days of it: {decision: the rejection's timeline event id, reason: 1..2000
 * characters}.  Back in the approvers' queue as appealed, with a new review deadline; decided by
 * another approver than the one who rejected it (approve overturns, uphold keeps the
 * rejection).  Idempotent by key; on the timeline and audited (claim_appeal.c). */
#include "claims.h"

void post_claims_ID_appeal(struct req *r)
{
    struct call call = req_call(r, flow_claim_appeal);
    struct claim_appeal_in in = {0};
    call.args.in.appeal = &in;
    if (!call_path_id(r, &call))
        return;
    const struct jfield spec[] = {
        {.name = "decision",
         .kind = JF_INT,
         .required = true,
         .min = 1,
         .max = 9007199254740991LL,
         .out = &in.decision},
        {.name = "reason",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 2000,
         .lines = true,
         .out = &in.reason},
    };
    if (!jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0])) {
        reply_field_errors(r, SD_E_VALIDATION_FAILED);
        return;
    }
    call_keyed(r, &call);
}
