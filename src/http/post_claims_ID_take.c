/* POST /v1/claims/{id}/take: an approver of the claim's region takes a submitted or resubmitted
 * claim from the queue (受理): it is in review and stays with that approver for
 * --review-assign-minutes (taking it again renews that); another approver gets 409 claim_assigned
 * until then.  Idempotent by key; on the timeline and audited (claim_review.c). */
#include "claims.h"

void post_claims_ID_take(struct req *r)
{
    claim_review_step(r, SR_CLAIM_TAKE);
}
