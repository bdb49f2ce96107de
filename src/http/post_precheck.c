/* POST /v1/precheck: judge a claim as submitted would, without writing anything (a dry run for
 * front-ends, on what the body says: see POST /v1/claims with dry_run for the judgement on what the
 * service holds).  A malformed request is a 400/422 naming every bad field and, in the same
 * reply, what the rule module finds in whatever did parse; a well-formed claim that the policy
 * does not grant is a 200 with eligible false and every unmet condition. */
#include "claim_json.h"
#include "handlers.h"

void post_precheck(struct req *r)
{
    json_t *problems = NULL;
    json_t *decision = cj_judge(policy_set, &r->errors, r->json, cj_today(), &problems);
    if (decision)
        reply_json(r, 200, decision);
    else if (!reply_field_errors_with(r, SD_E_VALIDATION_FAILED,
                                      json_pack("{s:o}", "problems", problems)))
        reply_problem(r, SD_E_INTERNAL, NULL); /* no decision and nothing wrong: our bug */
}
