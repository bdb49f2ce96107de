/* POST /v1/claims/{id}/uphold: an approver other than the one who rejected an appealed claim
 * (复议) upholds the rejection, with the reason in words: the claim is rejected again, finally
 * (a second appeal is refused).  The approver who rejected it gets 403 appeal_same_approver.
 * Idempotent by key; on the timeline and audited (claim_review.c). */
#include "claims.h"

void post_claims_ID_uphold(struct req *r)
{
    claim_review_step(r, SR_CLAIM_UPHOLD);
}
