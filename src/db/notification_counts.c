/* The outbox's rows by state, for /metrics (notification_db.h). */
#include <stdlib.h>
#include <string.h>

#include "db_exec.h"
#include "notification_db.h"

// clang-format off
const struct db_stmt db_stmt_notification_counts = {
    "notification_counts",
    "SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'delivered'),"
    " count(*) FILTER (WHERE state = 'dead') FROM notification_outbox",
    0};
// clang-format on

enum db_rc db_notification_counts(struct db_conn *c, struct db_notification_counts *out)
{
    memset(out, 0, sizeof *out);
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_notification_counts, NULL, true, &rc);
    if (!res)
        return rc;
    out->pending = atoll(PQgetvalue(res, 0, 0));
    out->delivered = atoll(PQgetvalue(res, 0, 1));
    out->dead = atoll(PQgetvalue(res, 0, 2));
    PQclear(res);
    return DB_OK;
}
