/* GET /v1/regions: every region (GB/T 2260 codes and the project's functional zones) with its
 * kind, parent and source; any role reads them. */
#include "handlers.h"
#include "ops.h"

void get_regions(struct req *r)
{
    struct db_conn *db = db_thread_conn();
    PGresult *res = NULL;
    enum db_rc rc = db ? db_region_list(db, &res) : DB_UNAVAILABLE;
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    json_t *items = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    PQclear(res);
    reply_json(r, 200, json_pack("{s:o}", "items", items ? items : json_array()));
}
