/* DELETE /v1/claims/{id}: the owner deletes a draft (204).  The claim and its timeline go; the
 * audit row of the deletion stays.  404 for anyone else's claim, 409 once submitted (withdraw it
 * instead).  Idempotent by key: a replay is the same 204. */
#include <stdlib.h>

#include "claims.h"

static enum db_rc delete_draft(struct req *r, struct db_conn *c, void *cls, unsigned *status,
                               json_t **reply)
{
    const long long *id = cls;
    struct db_claim_locked k;
    enum db_rc rc = claim_lock_draft(r, c, *id, &k);
    free(k.input_json);
    if (rc == DB_OK)
        rc = db_claim_delete(c, *id, r->who.token_id, r->id);
    if (rc == DB_OK) {
        *status = 204;
        *reply = NULL;
    }
    return rc;
}

void delete_claims_ID(struct req *r)
{
    long long id;
    if (!param_id(r->params[0], &id)) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    idempotent(r, delete_draft, &id);
}
