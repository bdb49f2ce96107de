/* Enterprises: create or update one, read one with its trade-friction listings, list pages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "db_exec.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define ENTERPRISE                                                                                 \
    "json_build_object('credit_code', e.credit_code, 'name', e.name, 'region', e.region,"          \
    " 'created_at', " TS("e.created_at") ", 'updated_at', " TS("e.updated_at")

const struct db_stmt db_stmt_enterprise_lock = {
    "enterprise_lock", "SELECT pg_advisory_xact_lock(hashtext('enterprise:' || $1))", 1};
const struct db_stmt db_stmt_enterprise_get = {
    "enterprise_get",
    "SELECT " ENTERPRISE ", 'trade_friction', coalesce((SELECT json_agg(json_build_object("
    "       'id', t.id, 'credit_code', t.credit_code, 'valid_from', t.valid_from::text,"
    "       'valid_to', t.valid_to::text, 'source', t.source, 'created_at', " TS(
        "t.created_at") ") ORDER BY t.id) FROM trade_friction t WHERE t.credit_code = "
                        "e.credit_code), '[]'))::text"
                        "  FROM enterprise e WHERE e.credit_code = $1",
    1};
const struct db_stmt db_stmt_enterprise_put = {
    "enterprise_put",
    "INSERT INTO enterprise (credit_code, name, region) VALUES ($1, $2, $3)"
    " ON CONFLICT (credit_code) DO UPDATE SET name = EXCLUDED.name, region = EXCLUDED.region,"
    "    updated_at = now()",
    3};
const struct db_stmt db_stmt_enterprise_list = {
    "enterprise_list",
    "SELECT " ENTERPRISE ")::text, e.credit_code FROM enterprise e"
    " WHERE ($1 = '' OR e.region = $1) AND e.credit_code > $2"
    " ORDER BY e.credit_code LIMIT $3::int",
    3};

enum db_rc db_enterprise_lock(struct db_conn *c, const char *code)
{
    const char *params[] = {code};
    enum db_rc rc;
    PQclear(db_exec(c, &db_stmt_enterprise_lock, params, &rc));
    return rc;
}

enum db_rc db_enterprise_get(struct db_conn *c, const char *code, char **json)
{
    const char *params[] = {code};
    enum db_rc rc;
    PGresult *res = db_exec_ro(c, &db_stmt_enterprise_get, params, &rc);
    if (!res)
        return rc;
    rc = PQntuples(res) == 1 ? DB_OK : DB_NOT_FOUND;
    *json = rc == DB_OK ? strdup(PQgetvalue(res, 0, 0)) : NULL;
    PQclear(res);
    return rc == DB_OK && !*json ? DB_HARD : rc;
}

enum db_rc db_enterprise_put(struct db_conn *c, const char *code, const char *name,
                             const char *region)
{
    const char *params[] = {code, name, region};
    enum db_rc rc;
    PQclear(db_exec(c, &db_stmt_enterprise_put, params, &rc));
    return rc;
}

enum db_rc db_enterprise_list(struct db_conn *c, const char *region, const char *after, int limit,
                              struct db_page *out)
{
    const char *params[] = {region ? region : "", after ? after : "", NULL};
    return db_page_exec(c, &db_stmt_enterprise_list, params, limit, DB_KEY_TEXT, out);
}
