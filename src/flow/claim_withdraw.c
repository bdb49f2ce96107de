/* A claim withdrawn before a decision by its owner or by the person an enterprise's claim is
 * about (it uses their quota); its quota place is given back (claim.h). */
#include "claim.h"

#include <stdlib.h>
#include <string.h>

enum db_rc flow_claim_withdraw(const struct flow_caller *c, struct db_conn *db,
                               const struct flow_args *args, struct flow_result *res)
{
    long long id = args->id;
    const char *reason = args->in.reason;
    struct db_claim_locked k;
    memset(&k, 0, sizeof k);
    enum db_rc rc = db_claim_lock(db, id, &k);
    free(k.input_json);
    if (rc == DB_OK && !claim_owned(c->who, k.owner_role, k.owner_subject) &&
        !claim_about_caller(c->who, k.person_owner, k.state))
        rc = DB_NOT_FOUND;
    if (rc == DB_NOT_FOUND)
        return flow_refuse(res, SD_E_NOT_FOUND, NULL, NULL);
    if (rc != DB_OK)
        return flow_db(res, rc);
    rc = claim_may(c, &k, SR_CLAIM_WITHDRAW, res);
    if (rc != DB_OK)
        return rc;
    char *json = NULL;
    rc = db_claim_withdraw(db, id, k.state, reason, c->who->token_id, flow_role(c), c->request_id,
                           &json);
    json_t *claim = rc == DB_OK ? json_loads(json, 0, NULL) : NULL;
    free(json);
    if (!claim)
        return flow_db(res, rc == DB_OK ? DB_HARD : rc);
    return flow_done(res, 200, claim);
}
