/* Plan targets: replace a policy's rows from its annex file; read them. */
#include <stdio.h>

#include "ops.h"
#include "db_exec.h"

const struct db_stmt db_stmt_plan_clear = {"plan_clear",
                                           "DELETE FROM plan_target WHERE policy_id = $1", 1};
const struct db_stmt db_stmt_plan_fill = {
    "plan_fill",
    "INSERT INTO plan_target (policy_id, annex, dimension, unit_name, region_code, year,"
    "                         measure, target, note, source_file)"
    " SELECT x.policy, x.annex, x.dimension, x.unit_name, nullif(x.region_code, ''),"
    "        x.year::int, x.measure, x.target::bigint, coalesce(x.note, ''), $2"
    "   FROM json_to_recordset($1::json) AS x (policy text, annex text, dimension text,"
    "        unit_name text, region_code text, year text, measure text, target text, note text)",
    2};
const struct db_stmt db_stmt_plan_list = {
    "plan_list",
    "SELECT coalesce(json_agg(json_build_object('policy', policy_id, 'annex', annex,"
    "       'dimension', dimension, 'unit_name', unit_name, 'region_code', region_code,"
    "       'year', year, 'measure', measure, 'target', target, 'note', note)"
    "       ORDER BY annex, dimension, unit_name, year, measure), '[]')::text"
    "  FROM plan_target WHERE policy_id = $1 AND ($2::int = 0 OR year = $2::int)"
    "   AND ($3 = '' OR dimension = $3)",
    3};

enum db_rc db_plan_replace(struct db_conn *c, const char *policy, const char *rows_json,
                           const char *source_file)
{
    const char *clear[] = {policy}, *fill[] = {rows_json, source_file};
    enum db_rc rc;
    PGresult *res = db_exec(c, &db_stmt_plan_clear, clear, &rc);
    if (!res)
        return rc;
    PQclear(res);
    res = db_exec(c, &db_stmt_plan_fill, fill, &rc);
    PQclear(res);
    return rc;
}

enum db_rc db_plan_list(struct db_conn *c, const char *policy, int year, const char *dimension,
                        json_t **items)
{
    char y[16];
    snprintf(y, sizeof y, "%d", year);
    const char *params[] = {policy, y, dimension ? dimension : ""};
    enum db_rc rc = db_json_exec(c, &db_stmt_plan_list, params, items);
    if (rc == DB_OK && !*items)
        *items = json_array();
    return rc;
}
