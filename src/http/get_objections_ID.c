/* GET /v1/objections/{id}: the objection as its objector (any token of the objector's account)
 * sees it — {id, claim_id, state: open|upheld|dismissed, filed_at, decided_at} — and nothing of
 * the claim beyond what the public list shows; anyone else 404. */
#include "handlers.h"
#include "notice_db.h"

void get_objections_ID(struct req *r)
{
    long long id;
    struct db_conn *db = req_db_key(r, param_id(r->params[0], &id));
    if (!db)
        return;
    char *json = NULL;
    enum db_rc rc = db_objection_get(db, id, r->who.token_id, &json);
    reply_found(r, rc, json, NULL, NULL);
}
