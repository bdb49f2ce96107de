/* GET /v1/catalogs/{id}: one published catalog version. */
#include <stdlib.h>

#include "handlers.h"
#include "ops.h"

void get_catalogs_ID(struct req *r)
{
    long long id;
    struct db_conn *db = req_db_key(r, param_id(r->params[0], &id));
    if (!db)
        return;
    char *meta = NULL;
    enum db_rc rc = db_catalog_get(db, id, &meta);
    reply_found(r, rc, meta, NULL, NULL);
}
