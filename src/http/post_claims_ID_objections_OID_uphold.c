/* POST /v1/claims/{id}/objections/{oid}/uphold: an approver of the claim's region (separation of
 * duties as for an approval; not the objector's account) upholds the objection, with the reason
 * in words: the grant is cancelled — the claim is rejected with the reason code
 * objection_upheld on its timeline, its quota place given back as a rejection gives it.
 * Idempotent by key; audited (claim_review.c). */
#include "claims.h"

void post_claims_ID_objections_OID_uphold(struct req *r)
{
    claim_objection_step(r, SR_CLAIM_UPHOLD_OBJECTION);
}
