/* POST /v1/review/bulk: an approver approves or rejects up to BULK_MAX claims of their regions in
 * one request, each judged on its own in its own short transaction by the same step as a single
 * decision (a claim still waiting in the queue is taken first), with one answer per item.
 * Idempotent as a whole under its Idempotency-Key: a replay answers from what was kept, and a
 * retry after a failure half-way decides only the items not yet decided (flow_review_bulk). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "claims.h"
#include "token.h"

#define BULK_MAX 100

void post_review_bulk(struct req *r)
{
    const char *action = NULL, *reason = NULL;
    const json_t *ids = NULL, *codes = NULL;
    const struct jfield spec[] = {
        jfield_decision_action(&action),
        {.name = "claim_ids",
         .kind = JF_ID_LIST,
         .required = true,
         .min = 1,
         .max = BULK_MAX,
         .out = &ids},
        jfield_reason(&reason, false),
        jfield_reason_codes(&codes, false, 8),
    };
    jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0]);
    bool reject = action && strcmp(action, "reject") == 0;
    decision_reasons_check(r, action, reason, codes);
    if (jerr_count(&r->errors) > 0) {
        reply_field_errors(r, SD_E_VALIDATION_FAILED);
        return;
    }
    struct idem_request k;
    struct db_conn *db = idem_request_key(r, &k);
    if (!db)
        return;
    /* the items' keys: a digest of the request's (which may be 128 characters long) */
    uint8_t digest[16];
    crypto_generichash(digest, sizeof digest, (const unsigned char *)k.key, strlen(k.key), NULL, 0);
    char prefix[8 + 2 * sizeof digest + 1] = "bulk:";
    sd_hex(digest, sizeof digest, prefix + 5);
    const struct review_bulk_in in = {.action = reject ? SR_CLAIM_REJECT : SR_CLAIM_APPROVE,
                                      .claim_ids = ids,
                                      .reason = reason,
                                      .reason_codes = codes,
                                      .assign_minutes = (int)config.review_assign_minutes,
                                      .caller = k.caller,
                                      .key = k.key,
                                      .hash = k.hash,
                                      .route = r->route->pattern,
                                      .item_prefix = prefix};
    struct flow_caller caller = req_caller(r);
    struct review_bulk_out out;
    enum db_rc rc = flow_review_bulk(&caller, db, &in, &out);
    if (rc == DB_OK && out.key_reused) {
        reply_problem(r, SD_E_IDEMPOTENCY_KEY_REUSED, NULL);
    } else if (rc == DB_OK) {
        json_t *body = json_pack("{s:s, s:i, s:i, s:i, s:O}", "action", action, "count",
                                 (int)json_array_size(out.items), "decided", out.decided, "refused",
                                 out.refused, "items", out.items);
        char *text = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(body);
        if (text)
            reply_stored(r, 200, text, out.replayed);
        else
            reply_problem(r, SD_E_INTERNAL, NULL);
    } else {
        reply_db(r, rc);
    }
    json_decref(out.items);
}
