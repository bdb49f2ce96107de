/* subsidyctl migrate, schema-check and audit verify: the schema owner's work on a plain
 * session. */
#include <stdlib.h>

#include "admin.h"
#include "ctl.h"
#include "sd_migrations.h"

static struct db_admin *connect_or_die(const char *conninfo)
{
    char err[1024];
    struct db_admin *a = db_admin_connect(conninfo, err, sizeof err);
    if (!a) {
        fprintf(stderr, "subsidyctl: cannot connect: %s\n", err);
        exit(1);
    }
    return a;
}

int cmd_migrate(const struct ctl *g, int argc, char **argv)
{
    (void)argc, (void)argv;
    struct db_admin *a = connect_or_die(g->conninfo);
    char err[1024];
    bool ok = db_admin_migrate(a, stdout, err, sizeof err);
    if (ok)
        printf("schema at version %zu (%s)\n", sd_migrations_count,
               sd_migrations[sd_migrations_count - 1].name);
    else
        fprintf(stderr, "subsidyctl: %s\n", err);
    db_admin_close(a);
    return ok ? 0 : 1;
}

int cmd_schema_check(const struct ctl *g, int argc, char **argv)
{
    (void)argc, (void)argv;
    struct db_admin *a = connect_or_die(g->conninfo);
    char msg[512];
    int current;
    bool ok = db_admin_schema_check(a, &current, msg, sizeof msg);
    if (ok)
        printf("schema current at version %d\n", current);
    else
        fprintf(stderr, "subsidyctl: %s\n", msg);
    db_admin_close(a);
    return ok ? 0 : 1;
}

int cmd_audit_verify(const struct ctl *g, int argc, char **argv)
{
    (void)argc, (void)argv;
    struct db_admin *a = connect_or_die(g->conninfo);
    long long rows = 0;
    int broken = db_admin_audit_verify(a, stdout, &rows);
    db_admin_close(a);
    if (broken < 0)
        return 2;
    printf("%lld audit rows, %s\n", rows, broken ? "the chain is BROKEN" : "every chain intact");
    return broken ? 1 : 0;
}
