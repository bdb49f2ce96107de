/* The verification of a sampled 告知承诺 claim (claim.h, sql/0033_commitment_sampling.sql). */
#include "claim.h"

#include <stdlib.h>
#include <string.h>

#include "review_db.h"

/* Withdrawn, rejected or paid: nothing to verify any more. */
static bool verifiable(const char *state)
{
    enum sr_claim_state s;
    return sr_claim_state_parse(state, &s) && sr_claim_state_is_live(s) &&
           strcmp(state, "paid") != 0;
}

enum db_rc flow_claim_verify(const struct flow_caller *c, struct db_conn *db,
                             const struct flow_args *args, struct flow_result *res)
{
    const struct claim_verify_in *in = args->in.verify;
    struct db_claim_locked k;
    memset(&k, 0, sizeof k);
    enum db_rc rc = claim_lock_reviewer(c, db, args->id, &k, res);
    free(k.input_json);
    if (rc != DB_OK)
        return rc;
    struct db_claim_sample s;
    rc = db_claim_sample_lock(db, args->id, &s);
    if (rc == DB_NOT_FOUND || (rc == DB_OK && !s.sampled))
        return flow_refuse(res, SD_E_CLAIM_NOT_SAMPLED, NULL, NULL);
    if (rc != DB_OK)
        return flow_db(res, rc);
    if (s.outcome[0])
        return flow_refuse(res, SD_E_CLAIM_ALREADY_VERIFIED, s.outcome, NULL);
    if (!verifiable(k.state))
        return flow_refuse(res, SD_E_CLAIM_NOT_VERIFIABLE, k.state, NULL);
    bool false_commitment = strcmp(in->outcome, "false_commitment") == 0;
    json_t *detail = false_commitment ? json_pack("{s:s, s:[s]}", "outcome", in->outcome,
                                                  "reason_codes", "commitment_false")
                                      : json_pack("{s:s}", "outcome", in->outcome);
    char *detail_text = detail ? json_dumps(detail, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(detail);
    if (!detail_text)
        return flow_db(res, DB_HARD);
    const struct db_claim_verify_step w = {.id = args->id,
                                           .actor = c->who->token_id,
                                           .outcome = in->outcome,
                                           .from_state = k.state,
                                           .note = in->note,
                                           .request_id = c->request_id,
                                           .detail_json = detail_text};
    char *json = NULL;
    rc = db_claim_verify(db, &w, &json);
    free(detail_text);
    json_t *claim = rc == DB_OK ? json_loads(json, 0, NULL) : NULL;
    free(json);
    if (!claim)
        return flow_db(res, rc == DB_OK ? DB_HARD : rc);
    return flow_done(res, 200, claim);
}
