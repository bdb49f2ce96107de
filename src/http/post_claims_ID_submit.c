/* POST /v1/claims/{id}/submit: the owner submits a draft.  It is judged inside the transaction
 * on what the database holds, exactly as a claim created with "submit": true.  Idempotent by
 * key.  ?dry_run=true answers what the submission would, and writes nothing. */
#include <stdlib.h>
#include <string.h>

#include "claims.h"

static enum db_rc submit(struct req *r, struct db_conn *c, void *cls, unsigned *status,
                         json_t **reply)
{
    long long id = *(long long *)cls;
    struct db_claim_locked k;
    enum sr_claim_state to;
    enum db_rc rc = claim_lock_owned(r, c, id, &k);
    if (rc == DB_OK)
        rc = claim_may(r, &k, SR_CLAIM_SUBMIT, &to);
    json_t *input = rc == DB_OK ? json_loads(k.input_json, 0, NULL) : NULL;
    if (rc == DB_OK && !input)
        rc = DB_HARD;
    if (rc == DB_OK) {
        const struct submission s = {.input = input,
                                     .person_id = k.person_id,
                                     .claim_id = id,
                                     .from_state = k.state,
                                     .owner_role = k.owner_role,
                                     .owner_subject = k.owner_subject,
                                     .submit = true};
        rc = claim_submit(r, c, &s, status, reply);
    }
    json_decref(input);
    free(k.input_json);
    return rc;
}

void post_claims_ID_submit(struct req *r)
{
    long long id;
    if (!param_id(r->params[0], &id)) {
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
        dry_run(r, submit, &id);
    else
        idempotent(r, submit, &id);
}
