/* The review deadline on the calendar each worker keeps (claim.h), and the last day a class
 * can be filed before its start (class.h). */
#include "claim.h"
#include "class.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "review_db.h"
#include "sr_calendar.h"

/* Each database connection keeps the calendar of the coming months (db_conn_keep), reloaded
 * every few minutes or when this daemon replaced a year, so that a submission does not pay a
 * query for it (admins replace a year rarely). */
#define CAL_RELOAD_S 300

struct cal_cache {
    struct db_day_list days;
    struct db_year_list years; /* loaded */
    int32_t from, to;
    time_t loaded_at;
    unsigned long generation;
    bool valid;
    int warned[8]; /* years warned about as not loaded, on this connection */
};
static _Atomic unsigned long cal_generation;

void claims_calendar_changed(void)
{
    atomic_fetch_add(&cal_generation, 1);
}

bool calendar_year_loaded(const struct db_year_list *years, int year)
{
    for (size_t i = 0; i < years->n; i++)
        if (years->years[i] == year)
            return true;
    return false;
}

/* A deadline over a year without its calendar is an estimate (its weekends only): say so in
 * the log once per connection and year, not per claim. */
static void warn_not_loaded(struct cal_cache *k, int year)
{
    size_t i = 0;
    while (i < sizeof k->warned / sizeof k->warned[0] && k->warned[i] && k->warned[i] != year)
        i++;
    if (i < sizeof k->warned / sizeof k->warned[0] && k->warned[i] == year)
        return;
    memmove(k->warned + 1, k->warned, sizeof k->warned - sizeof k->warned[0]);
    k->warned[0] = year;
    log_warn("calendar not loaded",
             json_pack("{s:i, s:s}", "year", year, "effect",
                       "review deadlines over this year are estimated: weekends only"));
}

enum db_rc review_due(struct db_conn *c, int32_t today, int review_days, char out[SR_DATE_STRLEN],
                      bool *estimated)
{
    struct cal_cache *k = db_conn_keep(c, DB_KEEP_CALENDAR, sizeof *k); /* about 8 KiB */
    if (!k)
        return DB_HARD;
    int32_t horizon = today + (int32_t)review_days * 2 + 60;
    time_t now = time(NULL);
    unsigned long generation = atomic_load(&cal_generation);
    if (!k->valid || now - k->loaded_at > CAL_RELOAD_S || today < k->from || horizon > k->to ||
        generation != k->generation) {
        char from[SR_DATE_STRLEN], to[SR_DATE_STRLEN];
        sr_day_format(today, from);
        sr_day_format(today + 400, to);
        enum db_rc rc = db_calendar_range(c, from, to, &k->days);
        if (rc == DB_OK)
            rc = db_calendar_years(c, &k->years);
        if (rc != DB_OK)
            return rc;
        k->from = today;
        k->to = today + 400;
        k->loaded_at = now;
        k->generation = generation;
        k->valid = true;
    }
    struct sr_calendar cal = {k->days.holidays, k->days.nholidays, k->days.workdays,
                              k->days.nworkdays};
    int32_t due = sr_add_working_days(&cal, today, review_days);
    sr_day_format(due, out);
    int y0, y1;
    sr_day_to_ymd(today, &y0, NULL, NULL);
    sr_day_to_ymd(due, &y1, NULL, NULL);
    *estimated = false;
    for (int y = y0; y <= y1; y++)
        if (!calendar_year_loaded(&k->years, y)) {
            *estimated = true;
            warn_not_loaded(k, y);
        }
    return DB_OK;
}

enum db_rc review_days_for(struct db_conn *db, const char *kind, const char *policy,
                           const char *region, int fallback, int *days)
{
    enum db_rc rc = db_review_days_for(db, kind, policy, region, days);
    if (rc == DB_NOT_FOUND) {
        *days = fallback;
        rc = DB_OK;
    }
    return rc;
}

enum db_rc calendar_working_days_before(struct db_conn *db, int32_t day, int n, int32_t *out)
{
    char from[SR_DATE_STRLEN], to[SR_DATE_STRLEN];
    sr_day_format(day - (int32_t)n * 2 - 40, from);
    sr_day_format(day, to);
    struct db_day_list *days = calloc(1, sizeof *days);
    enum db_rc rc = days ? db_calendar_range(db, from, to, days) : DB_HARD;
    if (rc == DB_OK) {
        struct sr_calendar cal = {days->holidays, days->nholidays, days->workdays, days->nworkdays};
        int32_t d = day;
        for (int counted = 0; counted < n; d--)
            if (sr_is_working_day(&cal, d))
                counted++;
        *out = d;
    }
    free(days);
    return rc;
}
