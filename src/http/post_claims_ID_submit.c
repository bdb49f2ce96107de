/* POST /v1/claims/{id}/submit: the owner submits a draft.  It is judged inside the transaction
 * on what the database holds, exactly as a claim created with "submit": true.  Idempotent by
 * key.  ?dry_run=true answers what the submission would, and writes nothing. */
#include <string.h>

#include "claims.h"

struct submit {
    struct flow_caller caller;
    long long id;
};

static enum db_rc submit(struct req *r, struct db_conn *c, void *cls, unsigned *status,
                         json_t **reply)
{
    struct submit *x = cls;
    struct flow_result res = {0};
    enum db_rc rc = flow_claim_submit(&x->caller, c, x->id, &res);
    return reply_flow(r, rc, &res, status, reply);
}

void post_claims_ID_submit(struct req *r)
{
    struct submit x = {.caller = req_caller(r)};
    if (!param_id(r->params[0], &x.id)) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    static const char *const tf[] = {"true", "false", NULL};
    const char *dry = NULL;
    const struct jfield spec[] = {
        {.name = "dry_run", .kind = JF_STRING, .min = 4, .max = 5, .one_of = tf, .out = &dry},
    };
    if (!jspec_query(r, spec, sizeof spec / sizeof spec[0])) {
        reply_field_errors(r, SD_E_BAD_QUERY);
        return;
    }
    if (dry && strcmp(dry, "true") == 0)
        dry_run(r, submit, &x);
    else
        idempotent(r, submit, &x);
}
