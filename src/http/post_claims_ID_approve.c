/* POST /v1/claims/{id}/approve: the approver who took the claim approves it, after the rule module
 * judged it again on the database's data as it is now: 409 approval_answer_changed with the new
 * problems, or approval_amount_changed with both amounts unless "amount_fen" confirms the new one.
 * Idempotent by key; on the timeline and audited (claim_review.c). */
#include "claims.h"

void post_claims_ID_approve(struct req *r)
{
    claim_review_step(r, SR_CLAIM_APPROVE);
}
