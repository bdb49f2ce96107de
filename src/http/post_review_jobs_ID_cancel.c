/* POST /v1/review/jobs/{id}/cancel: who may read a bulk review job cancels it — the items not
 * decided yet are cancelled (an item being decided at that moment finishes first: the cancel
 * waits for that one item's transaction, never for the set); 200 with the job.  A job cancelled
 * before answers the same; one done or failed is 409 review_job_ended.  Idempotent by key;
 * audited. */
#include "claims.h"

void post_review_jobs_ID_cancel(struct req *r)
{
    struct call call = req_call(r, flow_review_job_cancel);
    if (!call_path_id(r, &call))
        return;
    if (!jspec_body(r, r->json, NULL, 0)) {
        reply_field_errors(r, SD_E_VALIDATION_FAILED);
        return;
    }
    call_keyed(r, &call);
}
