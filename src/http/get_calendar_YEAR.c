/* GET /v1/calendar/{year}: a year's public holidays and make-up working days. */
#include <stdlib.h>

#include "handlers.h"
#include "ops.h"

/* A year from a path parameter: 2000 to 2100, or false. */
bool param_year(const char *text, int *year)
{
    long long v;
    if (!param_id(text, &v) || v < 2000 || v > 2100)
        return false;
    *year = (int)v;
    return true;
}

void get_calendar_YEAR(struct req *r)
{
    int year;
    if (!param_year(r->params[0], &year)) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    struct db_conn *db = db_thread_conn();
    char *text = NULL;
    enum db_rc rc = db ? db_calendar_year(db, year, &text) : DB_UNAVAILABLE;
    if (rc == DB_NOT_FOUND) {
        reply_problem(r, SD_E_NOT_FOUND,
                      r->lang_en ? "this year's calendar is not loaded" : "该年度的日历尚未录入");
        return;
    }
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    reply_json(r, 200, json_loads(text, 0, NULL));
    free(text);
}
