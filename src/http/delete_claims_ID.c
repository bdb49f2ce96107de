/* DELETE /v1/claims/{id}: the owner deletes a draft (204).  The claim and its timeline go; the
 * audit row of the deletion stays.  404 for anyone else's claim, 409 once submitted (withdraw it
 * instead).  Idempotent by key: a replay is the same 204. */
#include "claims.h"

struct delete
{
    struct flow_caller caller;
    long long id;
};

static enum db_rc delete_draft(struct req *r, struct db_conn *c, void *cls, unsigned *status,
                               json_t **reply)
{
    struct delete *x = cls;
    struct flow_result res = {0};
    enum db_rc rc = flow_claim_delete(&x->caller, c, x->id, &res);
    return reply_flow(r, rc, &res, status, reply);
}

void delete_claims_ID(struct req *r)
{
    struct delete x = {.caller = req_caller(r)};
    if (!param_id(r->params[0], &x.id)) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    idempotent(r, delete_draft, &x);
}
