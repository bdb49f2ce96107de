/* PUT /v1/admin/calendar/{year}: an admin replaces a year's holidays and make-up working days,
 * as the State Council publishes them.  Idempotent by key; audited with before and after. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claims.h"
#include "handlers.h"
#include "ops.h"
#include "sr_calendar.h"
#include "sr_ids.h"

static const char *const kinds[] = {"holiday", "workday", NULL};

struct put {
    int year;
    const char *source;
    const json_t *days;
};

/* Each day in the year, once; a working day only on a weekend.  Every problem is named. */
static void check_days(struct req *r, const struct put *p)
{
    size_t i;
    json_t *item;
    int32_t seen[400];
    size_t nseen = 0;
    json_array_foreach(p->days, i, item)
    {
        char prefix[32], field[48];
        snprintf(prefix, sizeof prefix, "days[%zu]", i);
        const char *day = NULL, *kind = NULL;
        const struct jfield spec[] = {
            {.name = "day",
             .kind = JF_STRING,
             .required = true,
             .min = 10,
             .max = 10,
             .format = &cj_date_format,
             .out = &day},
            {.name = "kind",
             .kind = JF_STRING,
             .required = true,
             .min = 1,
             .max = 16,
             .one_of = kinds,
             .out = &kind},
            {.name = "name", .kind = JF_STRING, .required = true, .min = 1, .max = 32},
        };
        jspec_object(&r->errors, prefix, item, spec, sizeof spec / sizeof spec[0]);
        int32_t d;
        if (!day || !sr_day_parse(day, &d))
            continue;
        snprintf(field, sizeof field, "%s.day", prefix);
        int y;
        sr_day_to_ymd(d, &y, NULL, NULL);
        if (y != p->year)
            req_field_error(r, field, SD_E_FIELD_CONFLICT, "不在该年度内", "is not in this year");
        else if (kind && strcmp(kind, "workday") == 0 && sr_weekday(d) < 6)
            req_field_error(r, field, SD_E_FIELD_CONFLICT, "调休上班日须为周末",
                            "a make-up working day must be a Saturday or Sunday");
        for (size_t k = 0; k < nseen; k++)
            if (seen[k] == d)
                req_field_error(r, field, SD_E_FIELD_CONFLICT, "日期重复", "is given twice");
        if (nseen < sizeof seen / sizeof seen[0])
            seen[nseen++] = d;
    }
}

static enum db_rc replace(struct req *r, struct db_conn *c, void *cls, unsigned *status,
                          json_t **reply)
{
    struct put *p = cls;
    enum db_rc rc = db_calendar_lock(c, p->year);
    char *before = NULL, *after = NULL, *days = NULL;
    if (rc == DB_OK) {
        rc = db_calendar_year(c, p->year, &before);
        if (rc == DB_NOT_FOUND)
            rc = DB_OK;
    }
    if (rc == DB_OK) {
        days = json_dumps(p->days, JSON_COMPACT);
        rc = days ? db_calendar_replace(c, p->year, p->source, days) : DB_HARD;
    }
    if (rc == DB_OK)
        rc = db_calendar_year(c, p->year, &after);
    if (rc == DB_OK) {
        char id[8];
        snprintf(id, sizeof id, "%d", p->year);
        rc = req_audit(r, c, "calendar.replace", "calendar", id, before, after);
    }
    if (rc == DB_OK) {
        *status = 200;
        *reply = json_loads(after, 0, NULL);
    }
    free(before);
    free(after);
    free(days);
    return rc;
}

void put_admin_calendar_YEAR(struct req *r)
{
    struct put p = {0};
    if (!param_year(r->params[0], &p.year)) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    const struct jfield spec[] = {
        {.name = "source",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 200,
         .out = &p.source},
        {.name = "days",
         .kind = JF_OBJECT_LIST,
         .required = true,
         .min = 0,
         .max = 366,
         .out = &p.days},
    };
    jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0]);
    if (p.days)
        check_days(r, &p);
    if (reply_field_errors(r, SD_E_VALIDATION_FAILED))
        return;
    idempotent(r, replace, &p);
    if (r->status == 200)
        claims_calendar_changed();
}
