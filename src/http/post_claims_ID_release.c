/* POST /v1/claims/{id}/release: the approver holding a claim gives it back to the queue (still
 * in review, held by nobody: any approver of the region may take it); 409 claim_not_held when
 * the caller does not hold it.  Body {} or {"reason"}.  Idempotent by key; on the timeline and
 * audited. */
#include "claims.h"

void post_claims_ID_release(struct req *r)
{
    struct call call = req_call(r, flow_claim_release);
    if (!call_path_id(r, &call))
        return;
    const struct jfield spec[] = {jfield_reason(&call.args.in.reason, false)};
    jspec_body(r, r->json, spec, 1);
    if (reply_field_errors(r, SD_E_VALIDATION_FAILED))
        return;
    call_keyed(r, &call);
}
