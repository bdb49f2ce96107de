/* Whether a region is within a regional role's regions (payee_db.h). */
#include "db_exec.h"
#include "payee_db.h"

const struct db_stmt db_stmt_region_in_scope = {
    "region_in_scope",
    /* $1 region $2 the caller's regions (csv) */
    "SELECT EXISTS (SELECT FROM region WHERE code = $1"
    " AND (code = ANY (string_to_array($2, ',')) OR parent = ANY (string_to_array($2, ','))))",
    2};

enum db_rc db_region_in_scope(struct db_conn *c, const char *region, const char *regions_csv,
                              bool *in)
{
    const char *p[] = {region, regions_csv};
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_region_in_scope, p, true, &rc);
    if (!res)
        return rc;
    *in = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    return DB_OK;
}
