/* The published project list (project_db.h, sql/0026_projects.sql): one project read, written
 * with its admitted institutions, the check that those are registered, and the public pages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_exec.h"
#include "project_db.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
// clang-format off
/* a project as JSON, open for more keys */
#define PROJECT                                                                                    \
    "json_build_object('code', p.code, 'name', p.name, 'policy', p.policy_id,"                     \
    " 'region', p.region, 'class_hours', p.class_hours, 'standard_fen', p.standard_fen,"           \
    " 'published_on', p.published_on::text, 'institutions', (SELECT coalesce(json_agg("            \
    "   i.institution ORDER BY i.institution), '[]') FROM project_institution i"                   \
    "   WHERE i.project_code = p.code)"

const struct db_stmt db_stmt_project_lock = {
    "project_lock", "SELECT pg_advisory_xact_lock(hashtext('project:' || $1))", 1};
const struct db_stmt db_stmt_project_get = {
    "project_get",
    "SELECT " PROJECT ", 'status', p.status, 'created_at', " TS("p.created_at") ","
    " 'updated_at', " TS("p.updated_at") ")::text FROM project p WHERE p.code = $1",
    1};
const struct db_stmt db_stmt_project_put = {
    "project_put",
    /* $1 code $2 policy $3 region $4 name $5 hours $6 standard $7 status $8 day $9 institutions */
    "WITH p AS (INSERT INTO project (code, policy_id, region, name, class_hours, standard_fen,"
    "    status, published_on)"
    "  VALUES ($1, $2, $3, $4, $5::int, $6::bigint, $7, $8::date)"
    "  ON CONFLICT (code) DO UPDATE SET policy_id = EXCLUDED.policy_id,"
    "    region = EXCLUDED.region, name = EXCLUDED.name, class_hours = EXCLUDED.class_hours,"
    "    standard_fen = EXCLUDED.standard_fen, status = EXCLUDED.status, updated_at = now()"
    "  RETURNING code),"
    " gone AS (DELETE FROM project_institution i WHERE i.project_code = $1"
    "    AND i.institution NOT IN (SELECT jsonb_array_elements_text($9::jsonb)))"
    " INSERT INTO project_institution (project_code, institution)"
    "  SELECT p.code, x FROM p, jsonb_array_elements_text($9::jsonb) AS x"
    "  ON CONFLICT DO NOTHING",
    9};
const struct db_stmt db_stmt_project_unknown_institutions = {
    "project_unknown_institutions",
    "SELECT coalesce(json_agg(x.n - 1 ORDER BY x.n), '[]')::text"
    "  FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY AS x (code, n)"
    " WHERE NOT EXISTS (SELECT 1 FROM institution i WHERE i.credit_code = x.code)",
    1};
const struct db_stmt db_stmt_projects_published = {
    "projects_published",
    /* $1 policy $2 region (or its city) $3 institution $4 after $5 limit */
    "SELECT " PROJECT ")::text, p.code FROM project p JOIN region g ON g.code = p.region"
    " WHERE p.status = 'published' AND ($1 = '' OR p.policy_id = $1)"
    "   AND ($2 = '' OR p.region = $2 OR g.parent = $2)"
    "   AND ($3 = '' OR EXISTS (SELECT 1 FROM project_institution i"
    "        WHERE i.project_code = p.code AND i.institution = $3))"
    "   AND p.code > $4 ORDER BY p.code LIMIT $5::int",
    5};
// clang-format on

enum db_rc db_project_lock(struct db_conn *c, const char *code)
{
    const char *p[] = {code};
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_project_lock, p, false, &rc);
    if (res)
        PQclear(res);
    return rc;
}

enum db_rc db_project_get(struct db_conn *c, const char *code, char **json)
{
    const char *p[] = {code};
    enum db_rc rc;
    *json = NULL;
    PGresult *res = db_exec_row(c, &db_stmt_project_get, p, true, &rc);
    if (!res)
        return rc;
    *json = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return *json ? DB_OK : DB_HARD;
}

enum db_rc db_project_put(struct db_conn *c, const struct db_project_put *x)
{
    char hours[24], standard[24];
    snprintf(hours, sizeof hours, "%lld", x->class_hours);
    snprintf(standard, sizeof standard, "%lld", x->standard_fen);
    const char *p[] = {x->code,   x->policy,       x->region,           x->name, hours, standard,
                       x->status, x->published_on, x->institutions_json};
    enum db_rc rc;
    PGresult *res = db_exec(c, &db_stmt_project_put, p, &rc);
    if (res)
        PQclear(res);
    return rc;
}

enum db_rc db_project_unknown_institutions(struct db_conn *c, const char *institutions_json,
                                           json_t **indexes)
{
    const char *p[] = {institutions_json};
    return db_json_exec(c, &db_stmt_project_unknown_institutions, p, indexes);
}

enum db_rc db_projects_published(struct db_conn *c, const struct db_project_filter *f,
                                 struct db_page *out)
{
    const char *p[] = {f->policy ? f->policy : "", f->region ? f->region : "",
                       f->institution ? f->institution : "", f->after ? f->after : "", NULL};
    return db_page_exec(c, &db_stmt_projects_published, p, f->limit, DB_KEY_TEXT, out);
}
