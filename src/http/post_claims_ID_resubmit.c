/* POST /v1/claims/{id}/resubmit: the owner resubmits a claim returned for correction, edited
 * since with PATCH: judged again inside the transaction on what the database holds, back in the
 * review queue as resubmitted; 409 resubmission_unchanged with the list when none of the fields
 * the return named changed.  No body.  Idempotent by key; on the timeline and audited. */
#include "claims.h"

void post_claims_ID_resubmit(struct req *r)
{
    struct call call = req_call(r, flow_claim_resubmit);
    if (!call_path_id(r, &call))
        return;
    call_keyed(r, &call);
}
