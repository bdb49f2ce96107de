/* DELETE /v1/tokens/{id}: revoke a token, effective for the next request. */
#include "handlers.h"
#include "log.h"
#include "ops.h"

void delete_tokens_ID(struct req *r)
{
    long long id;
    if (!param_id(r->params[0], &id)) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    struct db_conn *db = db_thread_conn();
    enum db_rc rc = db ? db_token_revoke(db, id) : DB_UNAVAILABLE;
    if (rc == DB_NOT_FOUND) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    log_info("token revoked", json_pack("{s:s, s:I, s:I}", "request_id", r->id, "token_id",
                                        (json_int_t)id, "by", (json_int_t)r->who.token_id));
    reply_empty(r, 204);
}
