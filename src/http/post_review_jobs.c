/* POST /v1/review/jobs: an approver records a bulk review job over a set larger than one bulk
 * request takes — the claims waiting for a decision in the approver's regions that a class's
 * certificates name ({"class_id": N}) or the review queue's filters name ({"filter": {...}},
 * the same filters as GET /v1/review/claims) — at most --review-job-max-items of them (more:
 * 422 review_job_too_large with the count).  The job and its items are recorded in one short
 * transaction under the Idempotency-Key (a replay is the same job) and audited; the daemon's
 * worker decides the items one at a time (flow_review_job_step).  202 with the job and its
 * Location. */
#include <string.h>

#include "claims.h"
#include "review_db.h"
#include "sr_ids.h"

#define WAITING "submitted,resubmitted,in_review,appealed"

void post_review_jobs(struct req *r)
{
    static const char *const waiting[] = {"submitted", "in_review", "resubmitted", NULL};
    const char *action = NULL, *reason = NULL;
    const json_t *codes = NULL, *selection = NULL, *filter = NULL;
    long long class_id = 0;
    const struct jfield spec[] = {
        jfield_decision_action(&action),
        jfield_reason(&reason, false),
        jfield_reason_codes(&codes, false, 8),
        {.name = "selection", .kind = JF_OBJECT, .required = true, .out = &selection},
    };
    jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0]);
    decision_reasons_check(r, action, reason, codes);
    const struct jfield select[] = {
        {.name = "class_id", .kind = JF_INT, .min = 1, .max = 1LL << 62, .out = &class_id},
        {.name = "filter", .kind = JF_OBJECT, .out = &filter},
    };
    if (selection && jspec_object(&r->errors, "selection", selection, select, 2) &&
        (class_id > 0) == (filter != NULL))
        req_field_error(r, "selection", SD_E_FIELD_REQUIRED, "须给出 class_id 或 filter 之一",
                        "exactly one of class_id and filter");
    char regions[SD_MAX_REGIONS * (SD_REGION_LEN + 1) + 1], today[SR_DATE_STRLEN], key[24];
    principal_regions_csv(&r->who, regions, sizeof regions);
    sr_day_format(cj_today(), today);
    /* no filter: every waiting claim of the regions (a class's, then) */
    struct db_review_filter f = {.regions_csv = regions, .today = today};
    if (filter)
        review_filter_read(r, filter, "selection.filter", waiting, &f, key, sizeof key);
    if (jerr_count(&r->errors) > 0) {
        reply_field_errors(r, SD_E_VALIDATION_FAILED);
        return;
    }
    if (!f.states_csv)
        f.states_csv = WAITING;
    const struct review_job_in in = {.action = action,
                                     .reason = reason,
                                     .reason_codes = codes,
                                     .selection = selection,
                                     .filter = &f,
                                     .class_id = class_id,
                                     .max_items = (int)config.review_job_max_items};
    struct call call = req_call(r, flow_review_job_create);
    call.args.in.job = &in;
    r->location_prefix = "/v1/review/jobs";
    call_keyed(r, &call);
}
