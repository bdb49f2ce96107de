#include "ops.h"
#include "db_exec.h"

/* string_to_table rather than unnest(string_to_array(...)): the planner estimates the latter's
 * rows from the value sent, so that its plan for one value always looked cheaper than the
 * prepared statement's generic one and the statement was planned again on every call (one in
 * each submission; pg_stat_statements in tests/bench/claims/run.sh). */
const struct db_stmt db_stmt_region_missing = {
    "region_missing",
    "SELECT code FROM string_to_table($1, ',') WITH ORDINALITY AS t(code, n)"
    " WHERE NOT EXISTS (SELECT 1 FROM region WHERE region.code = t.code) ORDER BY n",
    1};

enum db_rc db_region_missing_read(PGresult *res, json_t **missing)
{
    *missing = json_array();
    for (int i = 0; *missing && i < PQntuples(res); i++)
        json_array_append_new(*missing, json_string(PQgetvalue(res, i, 0)));
    PQclear(res);
    return *missing ? DB_OK : DB_HARD;
}

enum db_rc db_region_missing(struct db_conn *c, const char *codes_csv, json_t **missing)
{
    const char *params[] = {codes_csv};
    enum db_rc rc;
    *missing = NULL;
    PGresult *res = db_exec_ro(c, &db_stmt_region_missing, params, &rc);
    return res ? db_region_missing_read(res, missing) : rc;
}
