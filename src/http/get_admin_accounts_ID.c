/* GET /v1/admin/accounts/{id}: one account with its tokens (ids, labels, times; never a secret
 * or a hash). */
#include <stdlib.h>

#include "handlers.h"
#include "ops.h"

void get_admin_accounts_ID(struct req *r)
{
    long long id;
    struct db_conn *db = req_db_key(r, param_id(r->params[0], &id));
    if (!db)
        return;
    char *json = NULL;
    enum db_rc rc = db_account_get(db, id, &json);
    reply_found(r, rc, json, NULL, NULL);
}
