/* GET /v1/ready: the database answers on this worker and its schema is the one this build
 * expects. */
#include <stdio.h>

#include "handlers.h"
#include "ops.h"
#include "sd_migrations.h"

void get_ready(struct req *r)
{
    struct db_conn *db = db_thread_conn();
    if (!db) {
        reply_problem(r, SD_E_DB_UNAVAILABLE, NULL);
        return;
    }
    int version = 0;
    enum db_rc rc = db_schema_version(db, &version);
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    if ((size_t)version < sd_migrations_count) {
        char detail[160];
        snprintf(detail, sizeof detail, "missing migration %s", sd_migrations[version].name);
        reply_problem(r, SD_E_SCHEMA_NOT_CURRENT, detail);
        return;
    }
    reply_json(r, 200, json_pack("{s:s, s:i}", "status", "ready", "schema_version", version));
}
