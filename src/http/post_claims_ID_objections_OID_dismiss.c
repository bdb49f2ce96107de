/* POST /v1/claims/{id}/objections/{oid}/dismiss: an approver of the claim's region (separation
 * of duties as for an approval; not the objector's account: 403 objection_own) finds the
 * objection unfounded, with the reason in words: the claim is in notice again for a whole new
 * period from today, on the same list.  Idempotent by key; on the timeline and audited
 * (claim_review.c). */
#include "claims.h"

void post_claims_ID_objections_OID_dismiss(struct req *r)
{
    claim_objection_step(r, SR_CLAIM_DISMISS_OBJECTION);
}
