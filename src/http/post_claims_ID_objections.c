/* POST /v1/claims/{id}/objections: anyone authenticated objects (异议) to a claim on a public
 * notice list, until the notice's last day: {reason: 1..2000 characters, evidence: optional
 * reference to evidence, 1..500}.  201 with the objection as its objector sees it (its outcome
 * only: GET /v1/objections/{id}); the claim goes back to its region's review queue as objected.
 * A claim not in notice is 404 (a stranger cannot tell it from a missing one); after the last
 * day 409 notice_period_ended; while an objection is under review 409 objection_already_open.
 * Idempotent by key (claim_notice.c). */
#include "claims.h"

void post_claims_ID_objections(struct req *r)
{
    struct call call = req_call(r, flow_claim_object);
    struct claim_objection_in in = {0};
    call.args.in.objection = &in;
    if (!call_path_id(r, &call))
        return;
    const struct jfield spec[] = {
        {.name = "reason",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 2000,
         .lines = true,
         .out = &in.reason},
        {.name = "evidence", .kind = JF_STRING, .min = 1, .max = 500, .out = &in.evidence},
    };
    if (!jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0])) {
        reply_field_errors(r, SD_E_VALIDATION_FAILED);
        return;
    }
    r->location_prefix = "/v1/objections";
    call_keyed(r, &call);
}
