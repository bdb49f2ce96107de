/* POST /v1/admin/accounts/{id}/tokens: an admin issues a token of an account; the token acts
 * with the account's role, subject and regions as they are at each request.  201 with the
 * secret; a disabled account is a 409.  Idempotent by key, but the secret is never kept: the
 * stored reply lacks it, so only the first reply carries it and a replay omits it (a client that
 * lost the first reply revokes that token and asks again under a new key).  Audited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "ops.h"

struct issue {
    long long id;
    struct db_token_new t;
    char secret[SD_TOKEN_LEN + 1];
    uint8_t hash[SD_TOKEN_HASH_LEN];
};

static enum db_rc issue(struct req *r, struct db_conn *c, void *cls, unsigned *status,
                        json_t **reply)
{
    struct issue *p = cls;
    char *before = NULL, *after = NULL, role[16], state[16], expires_at[32];
    long long token_id = 0;
    enum db_rc rc = db_account_lock(c, p->id, role, state);
    if (rc == DB_NOT_FOUND) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return DB_ABORT;
    }
    if (rc == DB_OK && strcmp(state, "active") != 0) {
        reply_problem(r, SD_E_ACCOUNT_DISABLED, NULL);
        return DB_ABORT;
    }
    if (rc == DB_OK)
        rc = db_account_get(c, p->id, &before);
    if (rc == DB_OK)
        rc = db_account_token_insert(c, p->id, &p->t, &token_id, expires_at);
    if (rc == DB_OK)
        rc = db_account_get(c, p->id, &after);
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", p->id);
    if (rc == DB_OK) {
        rc = req_audit(r, c, "account.token_create", "account", ids, before, after);
    }
    if (rc == DB_OK) {
        json_t *acc = json_loads(after, 0, NULL);
        *status = 201;
        *reply = json_pack("{s:I, s:I, s:O, s:O, s:O, s:s, s:s, s:s}", "id", (json_int_t)token_id,
                           "account_id", (json_int_t)p->id, "role", json_object_get(acc, "role"),
                           "subject", json_object_get(acc, "subject"), "regions",
                           json_object_get(acc, "regions"), "label", p->t.label, "expires_at",
                           expires_at, "token", p->secret);
        json_decref(acc);
        if (!*reply)
            rc = DB_HARD;
    }
    free(before);
    free(after);
    return rc;
}

void post_admin_accounts_ID_tokens(struct req *r)
{
    struct issue p = {0};
    if (!param_id(r->params[0], &p.id)) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    const char *label = "";
    long long ttl_days = 90;
    const struct jfield spec[] = {
        {.name = "label", .kind = JF_STRING, .min = 0, .max = 200, .out = &label},
        {.name = "expires_in_days", .kind = JF_INT, .min = 1, .max = 3650, .out = &ttl_days},
    };
    jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0]);
    if (reply_field_errors(r, SD_E_VALIDATION_FAILED))
        return;
    sd_token_new(&token_key, p.secret, p.hash);
    p.t = (struct db_token_new){
        .hash = p.hash,
        .label = label,
        .created_by = r->who.token_id,
        .ttl_days = (int)ttl_days,
    };
    idempotent_secret(r, issue, &p, "token");
}
