/* A funding line's yearly budget set (payee_db.h): one statement that locks the line, writes it
 * when something differs (version + 1) or creates it, and keeps the version. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_sql.h"
#include "db_exec.h"
#include "payee_db.h"

// clang-format off
#define FUNDING_LINE(f)                                                                            \
    "json_build_object('id', " f ".id, 'region', " f ".region, 'code', " f ".code, 'year', "       \
    f ".year, 'name', " f ".name, 'payee', " f ".payee, 'budget_fen', " f ".budget_fen,"           \
    " 'version', " f ".version)"

const struct db_stmt db_stmt_funding_line_set = {
    "funding_line_set",
    /* $1 region $2 code $3 year $4 name $5 payee $6 budget_fen $7 actor */
    "WITH old AS (SELECT * FROM funding_line"
    "  WHERE region = $1 AND code = $2 AND year = $3::int FOR UPDATE),"
    " up AS (UPDATE funding_line f SET name = $4, payee = $5, budget_fen = $6::bigint,"
    "  version = f.version + 1, updated_at = now(), updated_by = nullif($7::bigint, 0)"
    "  FROM old WHERE f.id = old.id"
    "  AND (old.name, old.payee, old.budget_fen) IS DISTINCT FROM ($4, $5, $6::bigint)"
    "  RETURNING f.*),"
    " ins AS (INSERT INTO funding_line (region, code, year, name, payee, budget_fen, updated_by)"
    "  SELECT $1, $2, $3::int, $4, $5, $6::bigint, nullif($7::bigint, 0)"
    "  WHERE NOT EXISTS (SELECT FROM old) RETURNING *),"
    " n AS (SELECT * FROM up UNION ALL SELECT * FROM ins),"
    " v AS (INSERT INTO funding_line_version (funding_line_id, version, name, payee, budget_fen,"
    "  set_by) SELECT id, version, name, payee, budget_fen, updated_by FROM n)"
    " SELECT coalesce((SELECT " FUNDING_LINE("o") "::text FROM old o), ''),"
    "  coalesce((SELECT " FUNDING_LINE("n") " FROM n), (SELECT " FUNDING_LINE("o") " FROM old o))"
    "  ::text, EXISTS (SELECT FROM n)",
    7};
// clang-format on

enum db_rc db_funding_line_set(struct db_conn *c, const struct db_funding_line_set *s,
                               char **before_json, char **json, bool *changed)
{
    char year[16], budget[24], actor[24];
    snprintf(year, sizeof year, "%d", s->year);
    snprintf(budget, sizeof budget, "%lld", s->budget_fen);
    snprintf(actor, sizeof actor, "%lld", s->actor);
    const char *p[] = {s->region, s->code, year, s->name, s->payee, budget, actor};
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_funding_line_set, p, false, &rc);
    if (!res)
        return rc;
    *before_json = strdup(PQgetvalue(res, 0, 0));
    *json = strdup(PQgetvalue(res, 0, 1));
    *changed = PQgetvalue(res, 0, 2)[0] == 't';
    PQclear(res);
    if (*before_json && *json)
        return DB_OK;
    free(*before_json);
    free(*json);
    *before_json = *json = NULL;
    return DB_HARD;
}
