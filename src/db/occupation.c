/* The reference list of occupations: import (insert or rename), which codes it lacks, pages. */
#include <stdio.h>
#include <stdlib.h>

#include "occupation.h"
#include "db_exec.h"
#include "ops.h"

const struct db_stmt db_stmt_occupation_import = {
    "occupation_import",
    /* $1 [{code, name}] $2 source: one row per code added or renamed, true when added */
    "INSERT INTO occupation AS o (code, name, source)"
    " SELECT x.code, x.name, $2 FROM json_to_recordset($1::json) AS x (code text, name text)"
    " ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, source = EXCLUDED.source,"
    "   updated_at = now() WHERE o.name IS DISTINCT FROM EXCLUDED.name"
    " RETURNING (xmax = 0)::text",
    2};

const struct db_stmt db_stmt_occupation_missing = {
    "occupation_missing",
    "SELECT n - 1 FROM unnest(string_to_array($1, ',')) WITH ORDINALITY AS t(code, n)"
    " WHERE t.code <> '' AND NOT EXISTS (SELECT 1 FROM occupation o WHERE o.code = t.code)"
    " ORDER BY n",
    1};

const struct db_stmt db_stmt_occupation_list = {
    "occupation_list",
    "SELECT json_build_object('code', code, 'name', name, 'source', source)::text, code"
    "  FROM occupation WHERE ($1 = '' OR starts_with(code, $1) OR starts_with(name, $1))"
    "   AND code > $2 ORDER BY code LIMIT $3::int",
    3};

enum db_rc db_occupation_import(struct db_conn *c, const char *rows_json, const char *source,
                                int *added, int *renamed)
{
    const char *params[] = {rows_json, source};
    enum db_rc rc;
    PGresult *res = db_exec(c, &db_stmt_occupation_import, params, &rc);
    if (!res)
        return rc;
    *added = *renamed = 0;
    for (int i = 0; i < PQntuples(res); i++)
        *(*PQgetvalue(res, i, 0) == 't' ? added : renamed) += 1;
    PQclear(res);
    return DB_OK;
}

enum db_rc db_occupation_missing(struct db_conn *c, const char *codes_csv, size_t *pos, size_t max,
                                 size_t *count)
{
    const char *params[] = {codes_csv};
    enum db_rc rc;
    PGresult *res = db_exec_ro(c, &db_stmt_occupation_missing, params, &rc);
    if (!res)
        return rc;
    *count = 0;
    for (int i = 0; i < PQntuples(res) && *count < max; i++)
        pos[(*count)++] = (size_t)strtoull(PQgetvalue(res, i, 0), NULL, 10);
    PQclear(res);
    return DB_OK;
}

enum db_rc db_occupation_list(struct db_conn *c, const char *q, const char *after, int limit,
                              struct db_page *out)
{
    const char *params[] = {q ? q : "", after ? after : "", NULL};
    return db_page_exec(c, &db_stmt_occupation_list, params, limit, DB_KEY_TEXT, out);
}

enum db_rc db_occupation_name_unknown(struct db_conn *c, struct jerrors *e, const json_t *rows,
                                      const char *prefix, const char *field)
{
    size_t n = json_array_size(rows), count = 0;
    char *csv = occupation_codes_csv(rows, field);
    size_t *pos = malloc((n ? n : 1) * sizeof *pos);
    enum db_rc rc = csv && pos ? db_occupation_missing(c, csv, pos, n, &count) : DB_HARD;
    for (size_t i = 0; rc == DB_OK && i < count; i++)
        occupation_unknown_add(e, prefix, pos[i], field);
    free(pos);
    free(csv);
    return rc;
}
