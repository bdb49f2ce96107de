/* POST /v1/precheck: judge a claim as submitted would, without writing anything (a dry run for
 * front-ends).  A malformed request is a 400/422 naming every bad field; a well-formed claim
 * that the policy does not grant is a 200 with eligible false and every unmet condition. */
#include <stdlib.h>

#include "claim_json.h"
#include "handlers.h"

void post_precheck(struct req *r)
{
    struct cj_request *cr = malloc(sizeof *cr);
    if (!cr) {
        reply_problem(r, SD_E_INTERNAL, NULL);
        return;
    }
    const struct sr_policy *policy = NULL;
    if (cj_parse(&r->errors, r->json, cj_today(), cr))
        policy = cj_policy(policy_set, cr, &r->errors);
    if (!policy) {
        reply_field_errors(r, SD_E_VALIDATION_FAILED);
        free(cr);
        return;
    }
    struct sr_input in;
    struct sr_result result;
    cj_input(cr, &in);
    sr_evaluate(policy, &in, &result);
    free(cr);
    reply_json(r, 200, cj_result(&result));
}
