#include "ops.h"

const struct db_stmt db_stmt_region_missing = {
    "region_missing",
    "SELECT code FROM unnest(string_to_array($1, ',')) WITH ORDINALITY AS t(code, n)"
    " WHERE NOT EXISTS (SELECT 1 FROM region WHERE region.code = t.code) ORDER BY n",
    1};

enum db_rc db_region_missing(struct db_conn *c, const char *codes_csv, PGresult **res)
{
    const char *params[] = {codes_csv};
    enum db_rc rc;
    *res = db_exec_ro(c, &db_stmt_region_missing, params, &rc);
    return rc;
}
