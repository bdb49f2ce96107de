/* GET /v1/working-days?from=YYYY-MM-DD&add=N: the date N working days after from, on the
 * loaded calendar — the same arithmetic that sets notice periods and deadlines. */
#include <stdlib.h>

#include "handlers.h"
#include "ops.h"
#include "sr_calendar.h"
#include "sr_ids.h"

void get_working_days(struct req *r)
{
    const char *from = NULL;
    long long add = 0;
    const struct jfield spec[] = {
        {.name = "from",
         .kind = JF_STRING,
         .required = true,
         .min = 10,
         .max = 10,
         .format = &cj_date_format,
         .out = &from},
        {.name = "add", .kind = JF_INT, .required = true, .min = 0, .max = 250, .out = &add},
    };
    if (!req_query(r, spec, sizeof spec / sizeof spec[0]))
        return;
    int32_t start;
    sr_day_parse(from, &start);
    /* 250 working days never span more than 400 calendar days, holidays included */
    int32_t horizon = start + (int32_t)add * 2 + 60;
    char to[SR_DATE_STRLEN];
    sr_day_format(horizon, to);
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    struct db_day_list *days = malloc(sizeof *days);
    enum db_rc rc = days ? db_calendar_range(db, from, to, days) : DB_HARD;
    int32_t result = 0;
    bool loaded = false;
    if (rc == DB_OK) {
        struct sr_calendar cal = {days->holidays, days->nholidays, days->workdays, days->nworkdays};
        result = sr_add_working_days(&cal, start, (int)add);
        int y0, y1;
        sr_day_to_ymd(start, &y0, NULL, NULL);
        sr_day_to_ymd(result, &y1, NULL, NULL);
        rc = db_calendar_loaded(db, y0, y1, &loaded);
    }
    free(days);
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    char out[SR_DATE_STRLEN];
    sr_day_format(result, out);
    reply_json(r, 200,
               json_pack("{s:s, s:I, s:s, s:b}", "from", from, "add", (json_int_t)add, "date", out,
                         "calendar_complete", loaded));
}
