/* Training institutions: create or update one (name, region, status), add a red or black list
 * entry, read one with its entries, list pages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "db_exec.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define INSTITUTION                                                                                \
    "json_build_object('credit_code', i.credit_code, 'name', i.name, 'region', i.region,"          \
    " 'status', i.status, 'created_at', " TS("i.created_at") ", 'updated_at', " TS("i.updated_at")
#define ENTRY                                                                                      \
    "json_build_object('id', l.id, 'credit_code', l.credit_code, 'list', l.list, 'reason',"        \
    " l.reason, 'valid_from', l.valid_from::text, 'valid_to', l.valid_to::text, "                  \
    "'created_at', " TS("l.created_at") ")"

const struct db_stmt db_stmt_institution_lock = {
    "institution_lock", "SELECT pg_advisory_xact_lock(hashtext('institution:' || $1))", 1};
const struct db_stmt db_stmt_institution_get = {
    "institution_get",
    "SELECT " INSTITUTION ", 'list_entries', coalesce((SELECT json_agg(" ENTRY " ORDER BY l.id)"
    "       FROM institution_list_entry l WHERE l.credit_code = i.credit_code), '[]'))::text"
    "  FROM institution i WHERE i.credit_code = $1",
    1};
const struct db_stmt db_stmt_institution_put = {
    "institution_put",
    "INSERT INTO institution (credit_code, name, region, status) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (credit_code) DO UPDATE SET name = EXCLUDED.name, region = EXCLUDED.region,"
    "    status = EXCLUDED.status, updated_at = now()",
    4};
const struct db_stmt db_stmt_institution_list = {
    "institution_list",
    "SELECT " INSTITUTION ")::text, i.credit_code FROM institution i"
    " WHERE ($1 = '' OR i.region = $1) AND ($2 = '' OR i.status = $2) AND i.credit_code > $3"
    " ORDER BY i.credit_code LIMIT $4::int",
    4};
const struct db_stmt db_stmt_institution_entry_add = {
    "institution_entry_add",
    "WITH l AS (INSERT INTO institution_list_entry (credit_code, list, reason, valid_from,"
    "                                               valid_to, created_by)"
    "  VALUES ($1, $2, $3, $4::date, nullif($5, '')::date, nullif($6::bigint, 0)) RETURNING *)"
    " SELECT " ENTRY "::text FROM l",
    6};

enum db_rc db_institution_lock(struct db_conn *c, const char *code)
{
    const char *params[] = {code};
    enum db_rc rc;
    PQclear(db_exec(c, &db_stmt_institution_lock, params, &rc));
    return rc;
}

enum db_rc db_institution_get(struct db_conn *c, const char *code, char **json)
{
    const char *params[] = {code};
    enum db_rc rc;
    PGresult *res = db_exec_ro(c, &db_stmt_institution_get, params, &rc);
    if (!res)
        return rc;
    rc = PQntuples(res) == 1 ? DB_OK : DB_NOT_FOUND;
    *json = rc == DB_OK ? strdup(PQgetvalue(res, 0, 0)) : NULL;
    PQclear(res);
    return rc == DB_OK && !*json ? DB_HARD : rc;
}

enum db_rc db_institution_put(struct db_conn *c, const char *code, const char *name,
                              const char *region, const char *status)
{
    const char *params[] = {code, name, region, status};
    enum db_rc rc;
    PQclear(db_exec(c, &db_stmt_institution_put, params, &rc));
    return rc;
}

enum db_rc db_institution_list(struct db_conn *c, const char *region, const char *status,
                               const char *after, int limit, struct db_page *out)
{
    const char *params[] = {region ? region : "", status ? status : "", after ? after : "", NULL};
    return db_page_exec(c, &db_stmt_institution_list, params, limit, DB_KEY_TEXT, out);
}

enum db_rc db_institution_entry_add(struct db_conn *c, const struct db_list_entry_new *n,
                                    char **json)
{
    char by[24];
    snprintf(by, sizeof by, "%lld", n->created_by);
    const char *params[] = {
        n->credit_code, n->list, n->reason, n->valid_from, n->valid_to ? n->valid_to : "", by};
    enum db_rc rc;
    PGresult *res = db_exec(c, &db_stmt_institution_entry_add, params, &rc);
    if (!res)
        return rc;
    *json = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return *json ? DB_OK : DB_HARD;
}
