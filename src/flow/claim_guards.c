/* What a submission checks beside the rule module, on what the database holds: the claim's
 * occupation is in the reference list (a problem with the others); that its certificate is paid
 * once (a 409) the claim's write says (db_claim_insert, db_claim_submit) (claim.h). */
#include "claim.h"

void claim_occupation_known(const struct db_claim_context *ctx, struct sr_result *res)
{
    if (!ctx->occupation_known)
        sr_result_add_problem(res, SR_P_OCCUPATION_UNKNOWN, "claim.occupation");
}
