/* POST /v1/admin/accounts/{id}/tokens: an admin issues a token of an account; the token acts
 * with the account's role, subject and regions as they are at each request.  201 with the
 * secret; a disabled account is a 409.  Idempotent by key, but the secret is never kept: the
 * stored reply lacks it, so only the first reply carries it and a replay omits it (a client that
 * lost the first reply revokes that token and asks again under a new key).  Audited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "ops.h"

struct issue {
    long long id;
    struct db_token_new t;
    char secret[SD_TOKEN_LEN + 1];
    uint8_t hash[SD_TOKEN_HASH_LEN];
};

/* The token, and the reply: the token with the account's role, subject and regions. */
static enum db_rc insert(struct req *r, struct db_conn *c, struct admin_write *w,
                         const char *before, char **after, json_t **reply)
{
    const struct issue *p = w->cls;
    char expires_at[32];
    long long token_id = 0;
    enum db_rc rc = db_account_token_insert(c, p->id, &p->t, &token_id, expires_at);
    if (rc == DB_OK)
        rc = account_read(c, w->id, after);
    if (rc != DB_OK)
        return rc;
    json_t *acc = json_loads(*after, 0, NULL);
    *reply =
        json_pack("{s:I, s:I, s:O, s:O, s:O, s:s, s:s, s:s}", "id", (json_int_t)token_id,
                  "account_id", (json_int_t)p->id, "role", json_object_get(acc, "role"), "subject",
                  json_object_get(acc, "subject"), "regions", json_object_get(acc, "regions"),
                  "label", p->t.label, "expires_at", expires_at, "token", p->secret);
    json_decref(acc);
    return *reply ? DB_OK : DB_HARD;
}

static const struct admin_change how = {.kind = "account",
                                        .lock = account_lock_active,
                                        .read = account_read,
                                        .must_exist = true,
                                        .change = insert,
                                        .action = "account.token_create",
                                        .status = 201};

void post_admin_accounts_ID_tokens(struct req *r)
{
    struct issue p = {0};
    if (!req_path_id(r, &p.id))
        return;
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
    char id[24];
    snprintf(id, sizeof id, "%lld", p.id);
    admin_idempotent(r, &how, id, &p, "token");
}
