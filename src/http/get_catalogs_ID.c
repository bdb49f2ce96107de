/* GET /v1/catalogs/{id}: one published catalog version. */
#include <stdlib.h>

#include "handlers.h"
#include "ops.h"

void get_catalogs_ID(struct req *r)
{
    reply_by_id(r, db_catalog_get);
}
