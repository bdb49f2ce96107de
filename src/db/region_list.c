#include "ops.h"

const struct db_stmt db_stmt_region_list = {
    "region_list",
    "SELECT coalesce(json_agg(json_build_object('code', code, 'name', name, 'parent', parent,"
    "       'kind', kind, 'source', source) ORDER BY code), '[]')::text FROM region",
    0};

enum db_rc db_region_list(struct db_conn *c, PGresult **res)
{
    enum db_rc rc;
    *res = db_exec_ro(c, &db_stmt_region_list, NULL, &rc);
    return rc;
}
