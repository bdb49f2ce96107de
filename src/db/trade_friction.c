/* The trade-friction list (受经贸摩擦影响企业目录): add a listing, list pages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "db_exec.h"

#define LISTING                                                                                    \
    "json_build_object('id', t.id, 'credit_code', t.credit_code, 'valid_from',"                    \
    " t.valid_from::text, 'valid_to', t.valid_to::text, 'source', t.source, 'created_at',"         \
    " to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"

const struct db_stmt db_stmt_trade_friction_add = {
    "trade_friction_add",
    "WITH t AS (INSERT INTO trade_friction (credit_code, valid_from, valid_to, source, created_by)"
    "  VALUES ($1, $2::date, nullif($3, '')::date, $4, nullif($5::bigint, 0)) RETURNING *)"
    " SELECT " LISTING "::text, t.id FROM t",
    5};
const struct db_stmt db_stmt_trade_friction_list = {
    "trade_friction_list",
    "SELECT " LISTING "::text, t.id FROM trade_friction t"
    " WHERE ($1 = '' OR t.credit_code = $1)"
    "   AND ($2 = '' OR (t.valid_from <= $2::date AND (t.valid_to IS NULL"
    "        OR t.valid_to >= $2::date)))"
    "   AND t.id > $3::bigint ORDER BY t.id LIMIT $4::int",
    4};

enum db_rc db_trade_friction_add(struct db_conn *c, const struct db_trade_friction_new *n,
                                 long long *id, char **json)
{
    char by[24];
    snprintf(by, sizeof by, "%lld", n->created_by);
    const char *params[] = {n->credit_code, n->valid_from, n->valid_to ? n->valid_to : "",
                            n->source, by};
    enum db_rc rc;
    PGresult *res = db_exec(c, &db_stmt_trade_friction_add, params, &rc);
    if (!res)
        return rc;
    *json = strdup(PQgetvalue(res, 0, 0));
    *id = atoll(PQgetvalue(res, 0, 1));
    PQclear(res);
    return *json ? DB_OK : DB_HARD;
}

enum db_rc db_trade_friction_list(struct db_conn *c, const char *credit_code, const char *on,
                                  long long after, int limit, struct db_page *out)
{
    char a[24];
    snprintf(a, sizeof a, "%lld", after);
    const char *params[] = {credit_code ? credit_code : "", on ? on : "", a, NULL};
    return db_page_exec(c, &db_stmt_trade_friction_list, params, limit, DB_KEY_INT, out);
}
