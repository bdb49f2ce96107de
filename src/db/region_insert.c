/* Functional zones: regions of the project's own codes under a city. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "db_exec.h"

const struct db_stmt db_stmt_region_kind = {"region_kind",
                                            "SELECT kind FROM region WHERE code = $1", 1};
const struct db_stmt db_stmt_region_insert = {
    "region_insert",
    "INSERT INTO region (code, name, parent, kind, source)"
    " VALUES ($1, $2, $3, 'functional zone', 'subsidyd (not GB/T 2260)')"
    " ON CONFLICT (code) DO NOTHING"
    " RETURNING json_build_object('code', code, 'name', name, 'parent', parent, 'kind', kind,"
    "                             'source', source)::text",
    3};

enum db_rc db_region_kind(struct db_conn *c, const char *code, char kind[32])
{
    const char *params[] = {code};
    enum db_rc rc;
    PGresult *res = db_exec_ro(c, &db_stmt_region_kind, params, &rc);
    if (!res)
        return rc;
    rc = PQntuples(res) == 1 ? DB_OK : DB_NOT_FOUND;
    if (rc == DB_OK)
        snprintf(kind, 32, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

enum db_rc db_zone_insert(struct db_conn *c, const char *code, const char *name, const char *parent,
                          enum db_zone_insert_outcome *outcome, char **json)
{
    const char *params[] = {code, name, parent};
    enum db_rc rc;
    *json = NULL;
    PGresult *res = db_exec(c, &db_stmt_region_insert, params, &rc);
    if (!res)
        return rc;
    *outcome = PQntuples(res) == 1 ? DB_ZONE_ADDED : DB_ZONE_CODE_TAKEN;
    if (*outcome == DB_ZONE_ADDED)
        *json = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return *outcome == DB_ZONE_ADDED && !*json ? DB_HARD : DB_OK;
}
