/* What a submission checks beside the rule module, on what the database holds: the claim's
 * occupation is in the reference list (a problem with the others), and its certificate is paid
 * once (a 409). */
#include "claims.h"

enum db_rc claim_occupation_known(struct db_conn *c, const char *occupation,
                                  struct sr_result *res)
{
    if (!occupation || !occupation[0])
        return DB_OK;
    size_t pos, count = 0;
    enum db_rc rc = db_occupation_missing(c, occupation, &pos, 1, &count);
    if (rc == DB_OK && count > 0)
        sr_result_add_problem(res, SR_P_OCCUPATION_UNKNOWN, "claim.occupation");
    return rc;
}
