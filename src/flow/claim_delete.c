/* The owner deletes a draft with its timeline; the audit row of the deletion stays (claim.h). */
#include "claim.h"

#include <stdlib.h>

enum db_rc flow_claim_delete(const struct flow_caller *c, struct db_conn *db,
                             const struct flow_args *args, struct flow_result *res)
{
    long long id = args->id;
    struct db_claim_locked k;
    enum db_rc rc = claim_lock_draft(c, db, id, &k, res);
    free(k.input_json);
    if (rc != DB_OK)
        return rc;
    rc = db_claim_delete(db, id, c->who->token_id, c->request_id);
    return rc == DB_OK ? flow_done(res, 204, NULL) : flow_db(res, rc);
}
