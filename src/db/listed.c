/* The registers whose members carry a status and red/black list entries — training
 * institutions (0005) and evaluation bodies (0020): create or update one, add a list entry,
 * read one with its entries, list pages.  The two differ only in their tables and in the
 * evaluation body's kind, so their statements are written once, for a table name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "db_exec.h"

// clang-format off
#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
/* a member as JSON, open for more keys; extra: its own columns ("'kind', m.kind, " or "") */
#define MEMBER(extra)                                                                    \
    "json_build_object('credit_code', m.credit_code, 'name', m.name, 'region', m.region,"  \
    " " extra "'status', m.status, 'created_at', " TS("m.created_at")                     \
    ", 'updated_at', " TS("m.updated_at")
#define ENTRY                                                                            \
    "json_build_object('id', l.id, 'credit_code', l.credit_code, 'list', l.list, 'reason',"\
    " l.reason, 'valid_from', l.valid_from::text, 'valid_to', l.valid_to::text, "        \
    "'created_at', " TS("l.created_at") ")"
#define LOCK(table) "SELECT pg_advisory_xact_lock(hashtext('" table ":' || $1))"
#define GET(table, extra)                                                                \
    "SELECT " MEMBER(extra) ", 'list_entries', coalesce((SELECT json_agg(" ENTRY          \
    " ORDER BY l.id) FROM " table "_list_entry l WHERE l.credit_code = m.credit_code),"   \
    " '[]'))::text FROM " table " m WHERE m.credit_code = $1"
#define LIST(table, extra)                                                               \
    "SELECT " MEMBER(extra) ")::text, m.credit_code FROM " table " m"                     \
    " WHERE ($1 = '' OR m.region = $1) AND ($2 = '' OR m.status = $2)"                    \
    "   AND m.credit_code > $3 ORDER BY m.credit_code LIMIT $4::int"
#define ENTRY_ADD(table)                                                                 \
    "WITH l AS (INSERT INTO " table "_list_entry (credit_code, list, reason, valid_from,"  \
    "                                valid_to, created_by)"                                \
    "  VALUES ($1, $2, $3, $4::date, nullif($5, '')::date, nullif($6::bigint, 0))"        \
    "  RETURNING *)"                                                                      \
    " SELECT " ENTRY "::text FROM l"

/* the entries of one list (or both: $1 '') in force on $2: from valid_from to valid_to, both
 * days included; with the member's name, keyed by entry id */
#define IN_FORCE(table)                                                                  \
    "SELECT json_build_object('id', l.id, 'credit_code', l.credit_code, 'name', m.name,"  \
    " 'list', l.list, 'reason', l.reason, 'valid_from', l.valid_from::text,"              \
    " 'valid_to', l.valid_to::text)::text, l.id"                                          \
    "  FROM " table "_list_entry l JOIN " table " m ON m.credit_code = l.credit_code"      \
    " WHERE ($1 = '' OR l.list = $1) AND l.valid_from <= $2::date"                        \
    "   AND (l.valid_to IS NULL OR l.valid_to >= $2::date) AND l.id > $3::bigint"         \
    " ORDER BY l.id LIMIT $4::int"

const struct db_stmt db_stmt_institution_lock = {"institution_lock", LOCK("institution"), 1};
const struct db_stmt db_stmt_institution_get = {"institution_get", GET("institution", ""), 1};
const struct db_stmt db_stmt_institution_put = {
    "institution_put",
    "INSERT INTO institution (credit_code, name, region, status) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (credit_code) DO UPDATE SET name = EXCLUDED.name, region = EXCLUDED.region,"
    "    status = EXCLUDED.status, updated_at = now()",
    4};
const struct db_stmt db_stmt_institution_list = {"institution_list", LIST("institution", ""), 4};
const struct db_stmt db_stmt_institution_entry_add = {
    "institution_entry_add", ENTRY_ADD("institution"), 6};

const struct db_stmt db_stmt_institution_in_force = {
    "institution_in_force", IN_FORCE("institution"), 4};
/* admitted to subsidised training on $2: normal, and no black-list entry in force; with the
 * published projects it is admitted to run (0024) */
const struct db_stmt db_stmt_institution_admitted = {
    "institution_admitted",
    "SELECT json_build_object('credit_code', m.credit_code, 'name', m.name,"
    "       'region', m.region, 'projects', (SELECT coalesce(json_agg(p.code ORDER BY p.code),"
    "         '[]') FROM project_institution i JOIN project p ON p.code = i.project_code"
    "         WHERE i.institution = m.credit_code AND p.status = 'published'))::text,"
    "       m.credit_code"
    "  FROM institution m WHERE m.status = 'normal' AND ($1 = '' OR m.region = $1)"
    "   AND NOT EXISTS (SELECT 1 FROM institution_list_entry l"
    "        WHERE l.credit_code = m.credit_code AND l.list = 'black'"
    "          AND l.valid_from <= $2::date AND (l.valid_to IS NULL OR l.valid_to >= $2::date))"
    "   AND m.credit_code > $3 ORDER BY m.credit_code LIMIT $4::int",
    4};

const struct db_stmt db_stmt_evaluation_body_lock = {
    "evaluation_body_lock", LOCK("evaluation_body"), 1};
const struct db_stmt db_stmt_evaluation_body_get = {
    "evaluation_body_get", GET("evaluation_body", "'kind', m.kind, "), 1};
const struct db_stmt db_stmt_evaluation_body_put = {
    "evaluation_body_put",
    "INSERT INTO evaluation_body (credit_code, name, region, status, kind)"
    " VALUES ($1, $2, $3, $4, $5)"
    " ON CONFLICT (credit_code) DO UPDATE SET name = EXCLUDED.name, region = EXCLUDED.region,"
    "    status = EXCLUDED.status, kind = EXCLUDED.kind, updated_at = now()",
    5};
const struct db_stmt db_stmt_evaluation_body_list = {
    "evaluation_body_list", LIST("evaluation_body", "'kind', m.kind, "), 4};
const struct db_stmt db_stmt_evaluation_body_entry_add = {
    "evaluation_body_entry_add", ENTRY_ADD("evaluation_body"), 6};
const struct db_stmt db_stmt_evaluation_body_in_force = {
    "evaluation_body_in_force", IN_FORCE("evaluation_body"), 4};
// clang-format on

struct db_listed {
    const struct db_stmt *lock, *get, *put, *list, *entry_add, *in_force;
};
const struct db_listed db_institutions = {.lock = &db_stmt_institution_lock,
                                          .get = &db_stmt_institution_get,
                                          .put = &db_stmt_institution_put,
                                          .list = &db_stmt_institution_list,
                                          .entry_add = &db_stmt_institution_entry_add,
                                          .in_force = &db_stmt_institution_in_force};
const struct db_listed db_evaluation_bodies = {.lock = &db_stmt_evaluation_body_lock,
                                               .get = &db_stmt_evaluation_body_get,
                                               .put = &db_stmt_evaluation_body_put,
                                               .list = &db_stmt_evaluation_body_list,
                                               .entry_add = &db_stmt_evaluation_body_entry_add,
                                               .in_force = &db_stmt_evaluation_body_in_force};

enum db_rc db_listed_lock(struct db_conn *c, const struct db_listed *l, const char *code)
{
    const char *params[] = {code};
    enum db_rc rc;
    PQclear(db_exec(c, l->lock, params, &rc));
    return rc;
}

enum db_rc db_listed_get(struct db_conn *c, const struct db_listed *l, const char *code,
                         char **json)
{
    const char *params[] = {code};
    enum db_rc rc;
    PGresult *res = db_exec_ro(c, l->get, params, &rc);
    if (!res)
        return rc;
    rc = PQntuples(res) == 1 ? DB_OK : DB_NOT_FOUND;
    *json = rc == DB_OK ? strdup(PQgetvalue(res, 0, 0)) : NULL;
    PQclear(res);
    return rc == DB_OK && !*json ? DB_HARD : rc;
}

enum db_rc db_institution_get(struct db_conn *c, const char *code, char **json)
{
    return db_listed_get(c, &db_institutions, code, json);
}

enum db_rc db_evaluation_body_get(struct db_conn *c, const char *code, char **json)
{
    return db_listed_get(c, &db_evaluation_bodies, code, json);
}

enum db_rc db_listed_put(struct db_conn *c, const struct db_listed *l,
                         const struct db_listed_member *m)
{
    /* an institution's statement takes the first four */
    const char *params[] = {m->credit_code, m->name, m->region, m->status, m->kind};
    enum db_rc rc;
    PQclear(db_exec(c, l->put, params, &rc));
    return rc;
}

enum db_rc db_listed_list(struct db_conn *c, const struct db_listed *l, const char *region,
                          const char *status, const char *after, int limit, struct db_page *out)
{
    const char *params[] = {region ? region : "", status ? status : "", after ? after : "", NULL};
    return db_page_exec(c, l->list, params, limit, DB_KEY_TEXT, out);
}

enum db_rc db_listed_entry_add(struct db_conn *c, const struct db_listed *l,
                               const struct db_list_entry_new *n, char **json)
{
    char by[24];
    snprintf(by, sizeof by, "%lld", n->created_by);
    const char *params[] = {
        n->credit_code, n->list, n->reason, n->valid_from, n->valid_to ? n->valid_to : "", by};
    enum db_rc rc;
    PGresult *res = db_exec(c, l->entry_add, params, &rc);
    if (!res)
        return rc;
    *json = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return *json ? DB_OK : DB_HARD;
}

enum db_rc db_listed_in_force(struct db_conn *c, const struct db_listed *l, const char *list,
                              const char *day, long long after, int limit, struct db_page *out)
{
    char from[24];
    snprintf(from, sizeof from, "%lld", after);
    const char *params[] = {list ? list : "", day, from, NULL};
    return db_page_exec(c, l->in_force, params, limit, DB_KEY_INT, out);
}

enum db_rc db_institutions_admitted(struct db_conn *c, const char *region, const char *day,
                                    const char *after, int limit, struct db_page *out)
{
    const char *params[] = {region ? region : "", day, after ? after : "", NULL};
    return db_page_exec(c, &db_stmt_institution_admitted, params, limit, DB_KEY_TEXT, out);
}
