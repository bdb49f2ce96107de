/* DELETE /v1/tokens/{id}: revoke a token, effective for the next request.  The revocation and
 * its audit row commit together; revoking again is a 204 that writes nothing. */
#include <stdio.h>
#include <stdlib.h>

#include "handlers.h"
#include "log.h"
#include "ops.h"

struct revoke {
    struct req *r;
    long long id;
};

static enum db_rc revoke_now(struct db_conn *c, void *cls)
{
    struct revoke *x = cls;
    bool newly = false;
    char at[32];
    enum db_rc rc = db_token_revoke(c, x->id, &newly, at);
    if (rc != DB_OK || !newly)
        return rc;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", x->id);
    json_t *after = json_pack("{s:s}", "revoked_at", at);
    char *text = after ? json_dumps(after, JSON_COMPACT) : NULL;
    json_decref(after);
    rc = text ? req_audit(x->r, c, "token.revoke", "token", ids, "{\"revoked_at\":null}", text)
              : DB_HARD;
    free(text);
    return rc;
}

void delete_tokens_ID(struct req *r)
{
    struct revoke x = {.r = r};
    struct db_conn *db = req_db_key(r, param_id(r->params[0], &x.id));
    if (!db)
        return;
    enum db_rc rc = db_txn(db, revoke_now, &x);
    if (reply_failed(r, rc))
        return;
    log_info("token revoked", json_pack("{s:s, s:I, s:I}", "request_id", r->id, "token_id",
                                        (json_int_t)x.id, "by", (json_int_t)r->who.token_id));
    reply_empty(r, 204);
}
