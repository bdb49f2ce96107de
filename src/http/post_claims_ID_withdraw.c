/* POST /v1/claims/{id}/withdraw: the owner withdraws a claim before a decision, with an
 * optional reason; its place in the yearly quota is given back.  The person an enterprise's
 * claim is about may withdraw it too (it uses their quota); the timeline names the role that
 * acted.  409 once approved, rejected or withdrawn.  Idempotent by key; audited. */
#include "claims.h"

struct withdraw {
    struct flow_caller caller;
    long long id;
    const char *reason;
};

static enum db_rc withdraw(struct req *r, struct db_conn *c, void *cls, unsigned *status,
                           json_t **reply)
{
    struct withdraw *x = cls;
    struct flow_result res = {0};
    enum db_rc rc = flow_claim_withdraw(&x->caller, c, x->id, x->reason, &res);
    return reply_flow(r, rc, &res, status, reply);
}

void post_claims_ID_withdraw(struct req *r)
{
    struct withdraw x = {.caller = req_caller(r)};
    if (!param_id(r->params[0], &x.id)) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    const struct jfield spec[] = {
        {.name = "reason", .kind = JF_STRING, .min = 1, .max = 500, .out = &x.reason},
    };
    if (!jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0])) {
        reply_field_errors(r, SD_E_VALIDATION_FAILED);
        return;
    }
    idempotent(r, withdraw, &x);
}
