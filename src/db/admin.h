#ifndef SD_DB_ADMIN_H
#define SD_DB_ADMIN_H

/*
 * What subsidyctl asks of the database beyond the service's operations, so that nothing above
 * src/db sees libpq (README.md, "Layout"): a plain session of the schema owner for the
 * migrations, the schema check and the audit verifier, and the lists the tool prints.
 */

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "ops.h"

/* A plain session (no prepared statements), for the schema owner's work. */
struct db_admin;

/* Connect with a libpq connection string; NULL with the reason in err (one line, no newline at
 * its end) when the server refuses.  Close it with db_admin_close. */
struct db_admin *db_admin_connect(const char *conninfo, char *err, size_t errlen);
void db_admin_close(struct db_admin *a);

/* db_migrate, db_schema_check and db_audit_verify (ops.h) on the session. */
bool db_admin_migrate(struct db_admin *a, FILE *out, char *err, size_t errlen);
bool db_admin_schema_check(struct db_admin *a, int *current, char *msg, size_t msglen);
int db_admin_audit_verify(struct db_admin *a, FILE *out, long long *rows);

#endif
