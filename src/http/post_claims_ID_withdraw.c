/* POST /v1/claims/{id}/withdraw: the owner withdraws a claim before a decision, with an
 * optional reason; its place in the yearly quota is given back.  The person an enterprise's
 * claim is about may withdraw it too (it uses their quota); the timeline names the role that
 * acted.  409 once approved, rejected or withdrawn.  Idempotent by key; audited. */
#include <stdlib.h>
#include <string.h>

#include "claims.h"

struct withdraw {
    long long id;
    const char *reason;
};

static enum db_rc withdraw(struct req *r, struct db_conn *c, void *cls, unsigned *status,
                           json_t **reply)
{
    struct withdraw *x = cls;
    struct db_claim_locked k;
    enum sr_claim_state to;
    memset(&k, 0, sizeof k);
    enum db_rc rc = db_claim_lock(c, x->id, &k);
    free(k.input_json);
    if (rc == DB_OK && !claim_owned(r, k.owner_role, k.owner_subject) &&
        !claim_about_caller(r, k.person_owner, k.state))
        rc = DB_NOT_FOUND;
    if (rc == DB_NOT_FOUND) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return DB_ABORT;
    }
    if (rc == DB_OK)
        rc = claim_may(r, &k, SR_CLAIM_WITHDRAW, &to);
    char *json = NULL;
    if (rc == DB_OK)
        rc = db_claim_withdraw(c, x->id, k.state, x->reason, r->who.token_id,
                               sd_role_name(r->who.role), r->id, &json);
    if (rc == DB_OK) {
        *status = 200;
        *reply = json_loads(json, 0, NULL);
    }
    free(json);
    return rc;
}

void post_claims_ID_withdraw(struct req *r)
{
    struct withdraw x = {0};
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
