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
            jfield_date("day", &day, true),
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

static enum db_rc lock(struct req *r, struct db_conn *c, struct admin_write *w)
{
    return db_calendar_lock(c, atoi(w->id));
}

static enum db_rc read_year(struct db_conn *c, const char *id, char **json)
{
    return db_calendar_year(c, atoi(id), json);
}

static enum db_rc change(struct req *r, struct db_conn *c, struct admin_write *w,
                         const char *before, char **after, json_t **reply)
{
    const struct put *p = w->cls;
    char *days = json_dumps(p->days, JSON_COMPACT);
    enum db_rc rc = days ? db_calendar_replace(c, p->year, p->source, days) : DB_HARD;
    free(days);
    return rc;
}

static const struct admin_change how = {.kind = "calendar",
                                        .lock = lock,
                                        .read = read_year,
                                        .change = change,
                                        .action = "calendar.replace",
                                        .status = 200};

void put_admin_calendar_YEAR(struct req *r)
{
    struct put p = {0};
    if (!param_year(r->params[0], &p.year)) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    const struct jfield spec[] = {
        jfield_source(&p.source),
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
    char id[8];
    snprintf(id, sizeof id, "%d", p.year);
    admin_idempotent(r, &how, id, &p, NULL);
    if (r->status == 200)
        claims_calendar_changed();
}
