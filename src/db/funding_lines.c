/* The funding lines of regions with their budgets (payee_db.h).  Nothing commits money against
 * a line yet: committed_fen is 0 until disbursement batches exist, and remaining_fen the budget. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_sql.h"
#include "db_exec.h"
#include "payee_db.h"

// clang-format off
const struct db_stmt db_stmt_funding_lines = {
    "funding_lines",
    /* $1 regions csv $2 year (0 every one) */
    "SELECT coalesce(json_agg(json_build_object('id', f.id, 'region', f.region, 'code', f.code,"
    "  'year', f.year, 'name', f.name, 'payee', f.payee, 'budget_fen', f.budget_fen,"
    "  'committed_fen', 0, 'remaining_fen', f.budget_fen, 'version', f.version,"
    "  'updated_at', " CLAIM_TS("f.updated_at") ") ORDER BY f.region, f.year, f.code), '[]')::text"
    " FROM funding_line f WHERE f.region = ANY (string_to_array($1, ','))"
    "  AND ($2::int = 0 OR f.year = $2::int)",
    2};
// clang-format on

enum db_rc db_funding_lines(struct db_conn *c, const char *regions_csv, int year, char **json)
{
    char y[16];
    snprintf(y, sizeof y, "%d", year);
    const char *p[] = {regions_csv, y};
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_funding_lines, p, true, &rc);
    if (!res)
        return rc;
    *json = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return *json ? DB_OK : DB_HARD;
}
