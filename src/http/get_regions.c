/* GET /v1/regions: every region (GB/T 2260 codes and the project's functional zones) with its
 * kind, parent and source; any role reads them. */
#include "handlers.h"
#include "ops.h"

void get_regions(struct req *r)
{
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    json_t *items = NULL;
    enum db_rc rc = db_region_list(db, &items);
    reply_items(r, rc, items);
}
