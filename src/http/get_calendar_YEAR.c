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
    struct db_conn *db = req_db_key(r, param_year(r->params[0], &year));
    if (!db)
        return;
    char *text = NULL;
    enum db_rc rc = db_calendar_year(db, year, &text);
    reply_found(r, rc, text, "该年度的日历尚未录入", "this year's calendar is not loaded");
}
