/* POST /v1/claims/{id}/reject: the approver who took the claim rejects it with reason codes and the
 * reason in words; its place in the yearly quota is given back.  Idempotent by key; on the timeline
 * and audited (claim_review.c). */
#include "claims.h"

void post_claims_ID_reject(struct req *r)
{
    claim_review_step(r, SR_CLAIM_REJECT);
}
