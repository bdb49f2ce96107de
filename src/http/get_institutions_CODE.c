/* GET /v1/institutions/{code}: one training institution with its status and red/black list
 * entries; any role reads it. */
#include <stdlib.h>

#include "handlers.h"
#include "ops.h"

void get_institutions_CODE(struct req *r)
{
    if (!credit_code_ok(r->params[0])) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    struct db_conn *db = db_thread_conn();
    char *json = NULL;
    enum db_rc rc = db ? db_institution_get(db, r->params[0], &json) : DB_UNAVAILABLE;
    if (rc == DB_NOT_FOUND)
        reply_problem(r, SD_E_NOT_FOUND, NULL);
    else if (rc != DB_OK)
        reply_db(r, rc);
    else
        reply_json(r, 200, json_loads(json, 0, NULL));
    free(json);
}
