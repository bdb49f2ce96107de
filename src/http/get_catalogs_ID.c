/* GET /v1/catalogs/{id}: one published catalog version. */
#include <stdlib.h>

#include "handlers.h"
#include "ops.h"

void get_catalogs_ID(struct req *r)
{
    long long id;
    if (!param_id(r->params[0], &id)) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    struct db_conn *db = db_thread_conn();
    char *meta = NULL;
    enum db_rc rc = db ? db_catalog_get(db, id, &meta) : DB_UNAVAILABLE;
    if (rc == DB_NOT_FOUND)
        reply_problem(r, SD_E_NOT_FOUND, NULL);
    else if (rc != DB_OK)
        reply_db(r, rc);
    else
        reply_json(r, 200, json_loads(meta, 0, NULL));
    free(meta);
}
