/* subsidyctl's session and lists (admin.h): the libpq side of the operator's tool. */
#include "admin.h"
#include "db_exec.h"

#include <stdlib.h>
#include <string.h>

struct db_admin {
    PGconn *pg;
};

struct db_admin *db_admin_connect(const char *conninfo, char *err, size_t errlen)
{
    const char *keys[] = {"dbname", "application_name", NULL};
    const char *vals[] = {conninfo, "subsidyctl", NULL};
    struct db_admin *a = malloc(sizeof *a);
    PGconn *pg = a ? PQconnectdbParams(keys, vals, 1) : NULL;
    if (pg && PQstatus(pg) == CONNECTION_OK) {
        a->pg = pg;
        return a;
    }
    snprintf(err, errlen, "%s", pg ? PQerrorMessage(pg) : "out of memory");
    size_t n = strlen(err);
    while (n && err[n - 1] == '\n')
        err[--n] = '\0';
    PQfinish(pg);
    free(a);
    return NULL;
}

void db_admin_close(struct db_admin *a)
{
    if (!a)
        return;
    PQfinish(a->pg);
    free(a);
}

bool db_admin_migrate(struct db_admin *a, FILE *out, char *err, size_t errlen)
{
    return db_migrate(a->pg, out, err, errlen);
}

bool db_admin_schema_check(struct db_admin *a, int *current, char *msg, size_t msglen)
{
    return db_schema_check(a->pg, current, msg, msglen);
}

int db_admin_audit_verify(struct db_admin *a, FILE *out, long long *rows)
{
    return db_audit_verify(a->pg, out, rows);
}
