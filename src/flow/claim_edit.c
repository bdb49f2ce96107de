/* The owner replaces a draft's (or a returned claim's) region, claim and employer; the person
 * stays (claim.h). */
#include "claim.h"

#include <stdlib.h>
#include <string.h>

enum db_rc flow_claim_edit(const struct flow_caller *c, struct db_conn *db,
                           const struct flow_args *args, struct flow_result *res)
{
    long long id = args->id;
    const json_t *input = args->in.input;
    struct db_claim_locked k;
    enum db_rc rc = claim_lock_owned(c, db, id, &k, res);
    free(k.input_json);
    /* a draft, or a claim returned for correction (resubmitted after: claim_resubmit.c) */
    if (rc == DB_OK && strcmp(k.state, "draft") != 0 && strcmp(k.state, "returned") != 0)
        rc = flow_refuse(res, SD_E_CLAIM_STATE_CONFLICT, NULL, NULL);
    if (rc != DB_OK)
        return rc;
    struct claim_in in;
    claim_input_read(input, &in);
    char *text = json_dumps(input, JSON_COMPACT | JSON_PRESERVE_ORDER);
    struct db_claim_write w = {
        .actor = c->who->token_id,
        .request_id = c->request_id,
        .region = in.region,
        .employer = claim_employer(k.owner_role, k.owner_subject, &in),
        .kind = json_string_value(json_object_get(in.claim, "kind")),
        .occupation = json_string_value(json_object_get(in.claim, "occupation")),
        .level = json_string_value(json_object_get(in.claim, "level")),
        .input_json = text,
    };
    char *json = NULL;
    rc = text ? db_claim_edit(db, id, &w, &json) : DB_HARD;
    json_t *claim = rc == DB_OK ? json_loads(json, 0, NULL) : NULL;
    free(json);
    free(text);
    if (!claim)
        return flow_db(res, rc == DB_OK ? DB_HARD : rc);
    json_object_set_new(claim, "decision", json_null());
    return flow_done(res, 200, claim);
}
