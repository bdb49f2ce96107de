/* POST /v1/claims/{id}/return: the approver who took the claim returns it for correction with the
 * complete list of what to fix ("fixes": [{field, reason}]); at most once (最多跑一次): a second
 * return is 409 claim_already_returned.  Idempotent by key; on the timeline and audited
 * (claim_review.c). */
#include "claims.h"

void post_claims_ID_return(struct req *r)
{
    claim_review_step(r, SR_CLAIM_RETURN);
}
