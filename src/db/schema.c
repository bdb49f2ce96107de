/* Schema version bookkeeping: check (daemon start, /v1/ready) and migrate (subsidyctl). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "db_exec.h"
#include "sd_migrations.h"

#define LOCK_KEY "7301250001" /* advisory lock held while migrating */

const struct db_stmt db_stmt_schema_version = {
    "schema_version", "SELECT coalesce(max(version), 0) FROM schema_migration", 0};

enum db_rc db_schema_version(struct db_conn *c, int *version)
{
    enum db_rc rc;
    PGresult *res = db_exec_ro(c, &db_stmt_schema_version, NULL, &rc);
    if (!res)
        return rc;
    *version = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return DB_OK;
}

/* Applied versions and their checksums; NULL result with msg set on error. */
static PGresult *applied(PGconn *pg, char *msg, size_t msglen)
{
    PGresult *res = PQexecParams(pg,
                                 "SELECT version, name, checksum FROM schema_migration "
                                 "ORDER BY version",
                                 0, NULL, NULL, NULL, NULL, 0);
    if (PQresultStatus(res) == PGRES_TUPLES_OK)
        return res;
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (state && strcmp(state, "42P01") == 0)
        snprintf(msg, msglen,
                 "schema is not migrated: missing migration %s (run subsidyctl migrate)",
                 sd_migrations[0].name);
    else
        snprintf(msg, msglen, "cannot read schema_migration: %s", PQerrorMessage(pg));
    PQclear(res);
    return NULL;
}

enum schema_state { SCHEMA_CURRENT, SCHEMA_BEHIND, SCHEMA_BAD };

/* Check applied rows against the build: same names and checksums, in order. */
static enum schema_state compare(PGresult *res, int *current, char *msg, size_t msglen)
{
    int n = PQntuples(res);
    for (int i = 0; i < n; i++) {
        int v = atoi(PQgetvalue(res, i, 0));
        if (v != i + 1) {
            snprintf(msg, msglen, "schema_migration has a gap before version %d", v);
            return SCHEMA_BAD;
        }
        if ((size_t)i >= sd_migrations_count)
            break; /* newer schema than this build: fine for a rolling upgrade */
        if (strcmp(PQgetvalue(res, i, 1), sd_migrations[i].name) != 0 ||
            strcmp(PQgetvalue(res, i, 2), sd_migrations[i].sha256) != 0) {
            snprintf(msg, msglen, "applied migration %s differs from this build's %s",
                     PQgetvalue(res, i, 1), sd_migrations[i].name);
            return SCHEMA_BAD;
        }
    }
    *current = n;
    if ((size_t)n < sd_migrations_count) {
        snprintf(msg, msglen, "schema is behind: missing migration %s (run subsidyctl migrate)",
                 sd_migrations[n].name);
        return SCHEMA_BEHIND;
    }
    return SCHEMA_CURRENT;
}

bool db_schema_check(PGconn *pg, int *current, char *msg, size_t msglen)
{
    *current = 0;
    PGresult *res = applied(pg, msg, msglen);
    if (!res)
        return false;
    bool ok = compare(res, current, msg, msglen) == SCHEMA_CURRENT;
    PQclear(res);
    return ok;
}

static bool run(PGconn *pg, const char *sql, char *err, size_t errlen)
{
    PGresult *res = PQexec(pg, sql);
    ExecStatusType st = PQresultStatus(res);
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok)
        snprintf(err, errlen, "%s", PQerrorMessage(pg));
    PQclear(res);
    return ok;
}

static bool apply_one(PGconn *pg, const struct sd_migration *m, char *err, size_t errlen)
{
    char version[16];
    snprintf(version, sizeof version, "%d", m->version);
    const char *params[] = {version, m->name, m->sha256};
    if (!run(pg, "BEGIN", err, errlen))
        return false;
    if (!run(pg, m->sql, err, errlen)) {
        char inner[512];
        snprintf(inner, sizeof inner, "%s", err);
        snprintf(err, errlen, "migration %s failed: %s", m->name, inner);
        char ignore[8];
        run(pg, "ROLLBACK", ignore, sizeof ignore);
        return false;
    }
    PGresult *res = PQexecParams(pg,
                                 "INSERT INTO schema_migration (version, name, checksum) "
                                 "VALUES ($1::int, $2, $3)",
                                 3, NULL, params, NULL, NULL, 0);
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    if (!ok || !run(pg, "COMMIT", err, errlen)) {
        snprintf(err, errlen, "recording migration %s failed: %s", m->name, PQerrorMessage(pg));
        return false;
    }
    return true;
}

bool db_migrate(PGconn *pg, FILE *out, char *err, size_t errlen)
{
    if (!run(pg,
             "CREATE TABLE IF NOT EXISTS schema_migration ("
             " version int PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
             " applied_at timestamptz NOT NULL DEFAULT now())",
             err, errlen) ||
        !run(pg, "GRANT SELECT ON schema_migration TO subsidy_app", err, errlen) ||
        !run(pg, "SELECT pg_advisory_lock(" LOCK_KEY ")", err, errlen))
        return false;
    char msg[512];
    int current = 0;
    PGresult *res = applied(pg, msg, sizeof msg);
    bool ok = res != NULL;
    if (res) {
        ok = compare(res, &current, msg, sizeof msg) != SCHEMA_BAD;
        if (!ok)
            snprintf(err, errlen, "%s", msg);
        PQclear(res);
    } else {
        snprintf(err, errlen, "%s", msg);
    }
    for (size_t i = (size_t)current; ok && i < sd_migrations_count; i++) {
        ok = apply_one(pg, &sd_migrations[i], err, errlen);
        if (ok && out)
            fprintf(out, "applied %s\n", sd_migrations[i].name);
    }
    char ignore[8];
    run(pg, "SELECT pg_advisory_unlock(" LOCK_KEY ")", ignore, sizeof ignore);
    return ok;
}

bool db_conn_schema_check(struct db_conn *c, int *current, char *msg, size_t msglen)
{
    return db_schema_check(db_pg(c), current, msg, msglen);
}
