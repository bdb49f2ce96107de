/* GET /v1/admin/accounts/{id}: one account with its tokens (ids, labels, times; never a secret
 * or a hash). */
#include <stdlib.h>

#include "handlers.h"
#include "ops.h"

void get_admin_accounts_ID(struct req *r)
{
    long long id;
    if (!param_id(r->params[0], &id)) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    struct db_conn *db = db_thread_conn();
    char *json = NULL;
    enum db_rc rc = db ? db_account_get(db, id, &json) : DB_UNAVAILABLE;
    if (rc == DB_NOT_FOUND)
        reply_problem(r, SD_E_NOT_FOUND, NULL);
    else if (rc != DB_OK)
        reply_db(r, rc);
    else
        reply_json(r, 200, json_loads(json, 0, NULL));
    free(json);
}
