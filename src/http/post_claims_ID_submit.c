/* POST /v1/claims/{id}/submit: the owner submits a draft.  It is judged inside the transaction
 * on what the database holds, exactly as a claim created with "submit": true.  Idempotent by
 * key.  ?dry_run=true answers what the submission would, and writes nothing. */
#include <string.h>

#include "claims.h"

void post_claims_ID_submit(struct req *r)
{
    struct call call = req_call(r, flow_claim_submit);
    if (!call_path_id(r, &call))
        return;
    static const char *const tf[] = {"true", "false", NULL};
    const char *dry = NULL;
    const struct jfield spec[] = {
        {.name = "dry_run", .kind = JF_STRING, .min = 4, .max = 5, .one_of = tf, .out = &dry},
    };
    if (!jspec_query(r, spec, sizeof spec / sizeof spec[0])) {
        reply_field_errors(r, SD_E_BAD_QUERY);
        return;
    }
    if (dry && strcmp(dry, "true") == 0)
        call_dry_run(r, &call);
    else
        call_keyed(r, &call);
}
