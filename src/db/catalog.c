/* Subsidy catalogs: publish a version, find the one in force, read versions and entries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "db_exec.h"

#define META                                                                                       \
    "json_build_object('id', c.id, 'policy', c.policy_id, 'year', c.year, 'version', c.version,"   \
    " 'effective_from', c.effective_from::text, 'source', c.source, 'entry_count',"                \
    " c.entry_count, 'year_standard_fen', c.year_standard_fen, 'published_at',"                    \
    " to_char(c.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"

const struct db_stmt db_stmt_catalog_lock = {
    "catalog_lock", "SELECT pg_advisory_xact_lock(hashtext('catalog:' || $1 || ':' || $2))", 2};
const struct db_stmt db_stmt_catalog_insert = {
    "catalog_insert",
    "INSERT INTO catalog (policy_id, year, version, effective_from, source, entry_count,"
    "                     published_by, year_standard_fen)"
    " SELECT $1, $2::int, coalesce(max(version), 0) + 1, $3::date, $4, $5::int,"
    "        nullif($6::bigint, 0), nullif($7, '')::bigint"
    "   FROM catalog WHERE policy_id = $1 AND year = $2::int"
    " RETURNING id",
    7};
const struct db_stmt db_stmt_catalog_fill = {
    "catalog_fill",
    "INSERT INTO catalog_entry (catalog_id, occupation, occupation_name, level, standard_fen,"
    "                           shortage, shortage_uplift_fen, apprentice_tier_fen,"
    "                           position_month_fen, project_hours_cap)"
    " SELECT $1::bigint, x.occupation, x.occupation_name, x.level, x.standard_fen,"
    "        coalesce(x.shortage, false), coalesce(x.shortage_uplift_fen, 0),"
    "        x.apprentice_tier_fen, x.position_month_fen, x.project_hours_cap"
    "   FROM json_to_recordset($2::json) AS x (occupation text, occupation_name text,"
    "        level text, standard_fen bigint, shortage boolean, shortage_uplift_fen bigint,"
    "        apprentice_tier_fen bigint, position_month_fen bigint, project_hours_cap int)",
    2};
const struct db_stmt db_stmt_catalog_get = {
    "catalog_get", "SELECT " META "::text FROM catalog c WHERE c.id = $1::bigint", 1};
const struct db_stmt db_stmt_catalog_list = {
    "catalog_list",
    "SELECT " META "::text, c.id FROM catalog c"
    " WHERE ($1 = '' OR c.policy_id = $1) AND ($2::int = 0 OR c.year = $2::int)"
    "   AND ($3 = '' OR c.id = catalog_in_force(c.policy_id, c.year, $3::date))"
    "   AND c.id > $4::bigint ORDER BY c.id LIMIT $5::int",
    5};
const struct db_stmt db_stmt_catalog_entries = {
    "catalog_entries",
    "SELECT json_build_object('occupation', occupation, 'occupation_name', occupation_name,"
    "       'level', level, 'standard_fen', standard_fen, 'shortage', shortage,"
    "       'shortage_uplift_fen', shortage_uplift_fen, 'apprentice_tier_fen',"
    "       apprentice_tier_fen, 'position_month_fen', position_month_fen,"
    "       'project_hours_cap', project_hours_cap)::text,"
    "       occupation || '/' || level"
    "  FROM catalog_entry WHERE catalog_id = $1::bigint AND (occupation, level) > ($2, $3)"
    " ORDER BY occupation, level LIMIT $4::int",
    4};

static void num(char *buf, size_t len, long long v)
{
    snprintf(buf, len, "%lld", v);
}

enum db_rc db_catalog_publish(struct db_conn *c, const struct db_catalog_new *n, long long *id)
{
    char year[16], count[16], by[24], idtext[24], standard[24] = "";
    num(year, sizeof year, n->year);
    num(count, sizeof count, n->entry_count);
    num(by, sizeof by, n->published_by);
    if (n->has_year_standard)
        num(standard, sizeof standard, n->year_standard_fen);
    const char *lock[] = {n->policy, year};
    const char *ins[] = {n->policy, year, n->effective_from, n->source, count, by, standard};
    enum db_rc rc;
    PGresult *res = db_exec(c, &db_stmt_catalog_lock, lock, &rc);
    if (!res)
        return rc;
    PQclear(res);
    res = db_exec(c, &db_stmt_catalog_insert, ins, &rc);
    if (!res)
        return rc;
    *id = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    num(idtext, sizeof idtext, *id);
    const char *fill[] = {idtext, n->entries_json};
    res = db_exec(c, &db_stmt_catalog_fill, fill, &rc);
    PQclear(res);
    return rc;
}

enum db_rc db_catalog_get(struct db_conn *c, long long id, char **json)
{
    char idtext[24];
    num(idtext, sizeof idtext, id);
    const char *params[] = {idtext};
    enum db_rc rc;
    PGresult *res = db_exec_ro(c, &db_stmt_catalog_get, params, &rc);
    if (!res)
        return rc;
    rc = PQntuples(res) == 1 ? DB_OK : DB_NOT_FOUND;
    *json = rc == DB_OK ? strdup(PQgetvalue(res, 0, 0)) : NULL;
    PQclear(res);
    return rc == DB_OK && !*json ? DB_HARD : rc;
}

enum db_rc db_catalog_list(struct db_conn *c, const struct db_catalog_filter *f,
                           struct db_page *out)
{
    char year[16], after[24];
    num(year, sizeof year, f->year);
    num(after, sizeof after, f->after);
    const char *params[] = {f->policy ? f->policy : "", year, f->on ? f->on : "", after, NULL};
    return db_page_exec(c, &db_stmt_catalog_list, params, f->limit, DB_KEY_INT, out);
}

enum db_rc db_catalog_entries(struct db_conn *c, long long id, const char *after_occupation,
                              const char *after_level, int limit, struct db_page *out)
{
    char idtext[24];
    num(idtext, sizeof idtext, id);
    const char *params[] = {idtext, after_occupation, after_level, NULL};
    return db_page_exec(c, &db_stmt_catalog_entries, params, limit, DB_KEY_TEXT, out);
}
