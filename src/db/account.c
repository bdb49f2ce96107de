/* Accounts: the people and organisations behind tokens — create, read one with its tokens
 * (never their hashes), change name, regions and status, list pages, issue a token. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "db_exec.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define ACCOUNT                                                                                    \
    "json_build_object('id', a.id, 'name', a.name, 'role', a.role, 'subject',"                     \
    " coalesce(a.subject_masked, a.subject),"                                                      \
    " 'regions', to_json(a.regions), 'status', a.status, 'created_at', " TS(                       \
        "a.created_at") ", 'updated_at', " TS("a.updated_at") ","                                  \
                                                              " 'interests', CASE WHEN a.role = "  \
                                                              "'approver' THEN json_build_object(" \
                                                              "  'id_number', a.person_masked, "   \
                                                              "'employer', a.employer) END"

const struct db_stmt db_stmt_account_insert = {
    "account_insert",
    "INSERT INTO account (name, role, subject, regions, subject_masked)"
    " VALUES ($1, $2, $3, string_to_array($4, ','), $5) RETURNING id",
    5};
const struct db_stmt db_stmt_account_lock = {
    "account_lock", "SELECT role, status FROM account WHERE id = $1::bigint FOR UPDATE", 1};
const struct db_stmt db_stmt_account_role = {
    "account_role", "SELECT role, status FROM account WHERE id = $1::bigint", 1};
const struct db_stmt db_stmt_account_get = {
    "account_get",
    "SELECT " ACCOUNT ", 'tokens', coalesce((SELECT json_agg(json_build_object("
    "       'id', t.id, 'label', t.label, 'created_at', " TS(
        "t.created_at") ","
                        "       'expires_at', " TS("t.expires_at") ", 'revoked_at', " TS(
                            "t.revoked_at") ")"
                                            "       ORDER BY t.id) FROM token t WHERE t.account_id "
                                            "= a.id), '[]'))::text"
                                            "  FROM account a WHERE a.id = $1::bigint",
    1};
const struct db_stmt db_stmt_account_update = {
    "account_update",
    "UPDATE account SET name = coalesce($2, name),"
    "       regions = CASE WHEN $3::text IS NULL THEN regions ELSE string_to_array($3, ',') END,"
    "       status = coalesce($4, status), updated_at = now()"
    " WHERE id = $1::bigint" /* a PATCH that changes nothing leaves the row, and updated_at */
    "   AND (name, regions, status) IS DISTINCT FROM (coalesce($2, name),"
    "        CASE WHEN $3::text IS NULL THEN regions ELSE string_to_array($3, ',') END,"
    "        coalesce($4, status))",
    4};
const struct db_stmt db_stmt_account_interests = {
    "account_interests",
    "UPDATE account SET person_hash = $2, person_masked = $3, employer = $4, updated_at = now()"
    " WHERE id = $1::bigint AND (person_hash, employer) IS DISTINCT FROM ($2, $4)",
    4};
const struct db_stmt db_stmt_account_employs = {
    "account_employs",
    "SELECT coalesce((SELECT a.employer = $2 FROM token t JOIN account a ON a.id = t.account_id"
    "                 WHERE t.id = $1::bigint), false)",
    2};
const struct db_stmt db_stmt_account_list = {
    "account_list",
    "SELECT " ACCOUNT ")::text, a.id FROM account a"
    " WHERE ($1 = '' OR a.role = $1) AND ($2 = '' OR a.status = $2)"
    "   AND ($3 = '' OR $3 = ANY (a.regions)) AND a.id > $4::bigint"
    " ORDER BY a.id LIMIT $5::int",
    5};
const struct db_stmt db_stmt_account_by_subject = {
    "account_by_subject", "SELECT status FROM account WHERE role = $1 AND subject = $2", 2};
/* The token row copies the account's role, subject and regions as they are at issue (its own
 * CHECKs need them); authentication reads the account's. */
const struct db_stmt db_stmt_account_token_insert = {
    "account_token_insert",
    "INSERT INTO token (hash, role, subject, regions, label, created_by, expires_at, account_id,"
    "                   subject_masked)"
    " SELECT $2::bytea, a.role, a.subject, a.regions, $3, nullif($4::bigint, 0),"
    "        now() + make_interval(days => $5::int), a.id, a.subject_masked"
    "   FROM account a WHERE a.id = $1::bigint"
    " RETURNING id, " TS("expires_at"),
    5};

enum db_rc db_account_insert(struct db_conn *c, const struct db_account_new *n, long long *id,
                             enum db_account_insert_outcome *outcome)
{
    const char *params[] = {n->name, n->role, n->subject, n->regions_csv, n->subject_masked};
    enum db_rc rc;
    PGresult *res = db_exec(c, &db_stmt_account_insert, params, &rc);
    *outcome = rc == DB_UNIQUE ? DB_ACCOUNT_SUBJECT_TAKEN : DB_ACCOUNT_CREATED;
    if (rc == DB_UNIQUE) /* account_subject, the table's one unique index besides its id */
        return DB_OK;
    if (!res)
        return rc;
    *id = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    return DB_OK;
}

static enum db_rc role_status(struct db_conn *c, const struct db_stmt *st, long long id,
                              char role[16], char status[16])
{
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", id);
    const char *params[] = {ids};
    enum db_rc rc;
    PGresult *res =
        st == &db_stmt_account_lock ? db_exec(c, st, params, &rc) : db_exec_ro(c, st, params, &rc);
    if (!res)
        return rc;
    rc = PQntuples(res) == 1 ? DB_OK : DB_NOT_FOUND;
    if (rc == DB_OK) {
        snprintf(role, 16, "%s", PQgetvalue(res, 0, 0));
        snprintf(status, 16, "%s", PQgetvalue(res, 0, 1));
    }
    PQclear(res);
    return rc;
}

enum db_rc db_account_lock(struct db_conn *c, long long id, char role[16], char status[16])
{
    return role_status(c, &db_stmt_account_lock, id, role, status);
}

enum db_rc db_account_role(struct db_conn *c, long long id, char role[16], char status[16])
{
    return role_status(c, &db_stmt_account_role, id, role, status);
}

enum db_rc db_account_status_by_subject(struct db_conn *c, const char *role, const char *subject,
                                        char status[16])
{
    const char *params[] = {role, subject};
    enum db_rc rc;
    PGresult *res = db_exec_ro(c, &db_stmt_account_by_subject, params, &rc);
    if (!res)
        return rc;
    rc = PQntuples(res) == 1 ? DB_OK : DB_NOT_FOUND;
    if (rc == DB_OK)
        snprintf(status, 16, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

enum db_rc db_account_get(struct db_conn *c, long long id, char **json)
{
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", id);
    const char *params[] = {ids};
    enum db_rc rc;
    PGresult *res = db_exec_ro(c, &db_stmt_account_get, params, &rc);
    if (!res)
        return rc;
    rc = PQntuples(res) == 1 ? DB_OK : DB_NOT_FOUND;
    *json = rc == DB_OK ? strdup(PQgetvalue(res, 0, 0)) : NULL;
    PQclear(res);
    return rc == DB_OK && !*json ? DB_HARD : rc;
}

/* Run one of the account's updates: $1 the account's id, then three values (NULL: as the
 * statement says). */
static enum db_rc account_set(struct db_conn *c, const struct db_stmt *st, long long id,
                              const char *a, const char *b, const char *d)
{
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", id);
    const char *params[] = {ids, a, b, d};
    enum db_rc rc;
    PQclear(db_exec(c, st, params, &rc));
    return rc;
}

enum db_rc db_account_update(struct db_conn *c, long long id, const char *name,
                             const char *regions_csv, const char *status)
{
    return account_set(c, &db_stmt_account_update, id, name, regions_csv, status);
}

enum db_rc db_account_list(struct db_conn *c, const struct db_account_filter *f,
                           struct db_page *out)
{
    char after[24];
    snprintf(after, sizeof after, "%lld", f->after);
    const char *params[] = {f->role ? f->role : "", f->status ? f->status : "",
                            f->region ? f->region : "", after, NULL};
    return db_page_exec(c, &db_stmt_account_list, params, f->limit, DB_KEY_INT, out);
}

enum db_rc db_account_token_insert(struct db_conn *c, long long account_id,
                                   const struct db_token_new *t, long long *id, char expires_at[32])
{
    char acc[24], hex[2 + 2 * SD_TOKEN_HASH_LEN + 1] = "\\x", by[24], ttl[16];
    snprintf(acc, sizeof acc, "%lld", account_id);
    sd_hex(t->hash, SD_TOKEN_HASH_LEN, hex + 2);
    snprintf(by, sizeof by, "%lld", t->created_by);
    snprintf(ttl, sizeof ttl, "%d", t->ttl_days);
    const char *params[] = {acc, hex, t->label, by, ttl};
    enum db_rc rc;
    PGresult *res = db_exec(c, &db_stmt_account_token_insert, params, &rc);
    if (!res)
        return rc;
    rc = PQntuples(res) == 1 ? DB_OK : DB_NOT_FOUND;
    if (rc == DB_OK) {
        *id = atoll(PQgetvalue(res, 0, 0));
        snprintf(expires_at, 32, "%s", PQgetvalue(res, 0, 1));
    }
    PQclear(res);
    return rc;
}

enum db_rc db_account_interests(struct db_conn *c, long long id, const char *person_hash,
                                const char *person_masked, const char *employer)
{
    return account_set(c, &db_stmt_account_interests, id, person_hash, person_masked, employer);
}

enum db_rc db_account_employs(struct db_conn *c, long long token, const char *credit_code,
                              bool *yes)
{
    char t[24];
    snprintf(t, sizeof t, "%lld", token);
    const char *params[] = {t, credit_code};
    enum db_rc rc;
    PGresult *res = db_exec_ro(c, &db_stmt_account_employs, params, &rc);
    if (!res)
        return rc;
    *yes = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    return DB_OK;
}
