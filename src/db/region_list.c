#include "ops.h"
#include "db_exec.h"

const struct db_stmt db_stmt_region_list = {
    "region_list",
    "SELECT coalesce(json_agg(json_build_object('code', code, 'name', name, 'parent', parent,"
    "       'kind', kind, 'source', source) ORDER BY code), '[]')::text FROM region",
    0};

enum db_rc db_region_list(struct db_conn *c, json_t **items)
{
    enum db_rc rc = db_json_exec(c, &db_stmt_region_list, NULL, items);
    if (rc == DB_OK && !*items)
        *items = json_array();
    return rc;
}
