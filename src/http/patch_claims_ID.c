/* PATCH /v1/claims/{id}: the owner replaces a draft's region, claim and employer (the person
 * stays).  Only drafts change: 409 otherwise.  Idempotent by key; on the timeline and audited. */
#include <stdlib.h>
#include <string.h>

#include "claims.h"

struct edit {
    long long id;
    struct claim_in in;
    json_t *input;
};

static enum db_rc edit(struct req *r, struct db_conn *c, void *cls, unsigned *status,
                       json_t **reply)
{
    struct edit *x = cls;
    struct db_claim_locked k;
    enum db_rc rc = claim_lock_draft(r, c, x->id, &k);
    free(k.input_json);
    if (rc != DB_OK)
        return rc;
    char *input = json_dumps(x->input, JSON_COMPACT | JSON_PRESERVE_ORDER);
    const char *employer = x->in.employer_code;
    if (!employer && strcmp(k.owner_role, "enterprise") == 0)
        employer = k.owner_subject;
    struct db_claim_write w = {
        .actor = r->who.token_id,
        .request_id = r->id,
        .region = x->in.region,
        .employer = employer,
        .kind = json_string_value(json_object_get(x->in.claim, "kind")),
        .occupation = json_string_value(json_object_get(x->in.claim, "occupation")),
        .level = json_string_value(json_object_get(x->in.claim, "level")),
        .input_json = input,
    };
    char *json = NULL;
    rc = input ? db_claim_edit(c, x->id, &w, &json) : DB_HARD;
    if (rc == DB_OK) {
        *status = 200;
        *reply = json_loads(json, 0, NULL);
        json_object_set_new(*reply, "decision", json_null());
    }
    free(json);
    free(input);
    return rc;
}

void patch_claims_ID(struct req *r)
{
    struct edit x = {0};
    if (!param_id(r->params[0], &x.id)) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    claim_body_parse(r, r->json, false, &x.in);
    struct db_conn *db = db_thread_conn();
    if (!db) {
        reply_problem(r, SD_E_DB_UNAVAILABLE, NULL);
        return;
    }
    const char *field = "region";
    enum db_rc rc = check_region_fields(r, db, &field, &x.in.region, 1);
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    if (reply_field_errors(r, SD_E_VALIDATION_FAILED))
        return;
    x.input = claim_input(r, &x.in);
    if (!x.input)
        reply_problem(r, SD_E_INTERNAL, NULL);
    else
        idempotent(r, edit, &x);
    json_decref(x.input);
}
