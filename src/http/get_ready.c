/* GET /v1/ready: the database answers on this worker and its schema is the one this build
 * expects; with the loaded calendar years, and a warning for this year or the next when its
 * calendar is missing (review deadlines over it are estimates). */
#include <stdio.h>

#include "claim_json.h"
#include "claims.h"
#include "handlers.h"
#include "ops.h"
#include "sd_migrations.h"
#include "sr_calendar.h"

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
    struct db_year_list years;
    rc = db_calendar_years(db, &years);
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    json_t *loaded = json_array(), *warnings = json_array();
    for (size_t i = 0; i < years.n; i++)
        json_array_append_new(loaded, json_integer(years.years[i]));
    int this_year;
    sr_day_to_ymd(cj_today(), &this_year, NULL, NULL);
    for (int y = this_year; y <= this_year + 1; y++)
        if (!calendar_year_loaded(&years, y)) {
            char text[160];
            snprintf(text, sizeof text,
                     "calendar %d not loaded: review deadlines over it are estimated", y);
            json_array_append_new(warnings, json_string(text));
        }
    reply_json(r, 200,
               json_pack("{s:s, s:i, s:o, s:o}", "status", "ready", "schema_version", version,
                         "calendar_years", loaded, "warnings", warnings));
}
