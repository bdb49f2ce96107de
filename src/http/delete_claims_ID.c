/* DELETE /v1/claims/{id}: the owner deletes a draft (204).  The claim and its timeline go; the
 * audit row of the deletion stays.  404 for anyone else's claim, 409 once submitted (withdraw it
 * instead).  Idempotent by key: a replay is the same 204. */
#include "claims.h"

void delete_claims_ID(struct req *r)
{
    struct call call = req_call(r, flow_claim_delete);
    if (call_path_id(r, &call))
        call_keyed(r, &call);
}
