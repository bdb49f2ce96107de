/* PATCH /v1/claims/{id}: the owner replaces a draft's region, claim and employer (the person
 * stays).  Only drafts change: 409 otherwise.  Idempotent by key; on the timeline and audited. */
#include "claims.h"

struct edit {
    struct flow_caller caller;
    long long id;
    struct claim_in in;
    json_t *input;
};

static enum db_rc edit(struct req *r, struct db_conn *c, void *cls, unsigned *status,
                       json_t **reply)
{
    struct edit *x = cls;
    struct flow_result res = {0};
    enum db_rc rc = flow_claim_edit(&x->caller, c, x->id, x->input, &res);
    return reply_flow(r, rc, &res, status, reply);
}

void patch_claims_ID(struct req *r)
{
    struct edit x = {.caller = req_caller(r)};
    if (!param_id(r->params[0], &x.id)) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    claim_body_parse(r, r->json, false, x.caller.today, &x.in);
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    bool unused;
    enum db_rc rc = claim_check_refs(r, db, &x.in, NULL, &unused);
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    if (reply_field_errors(r, SD_E_VALIDATION_FAILED))
        return;
    x.input = claim_input(&x.caller, &x.in);
    if (!x.input)
        reply_problem(r, SD_E_INTERNAL, NULL);
    else
        idempotent(r, edit, &x);
    json_decref(x.input);
}
