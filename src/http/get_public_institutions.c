/* GET /v1/public/institutions?region=&after=&limit=, without a token, rate-limited: the training
 * institutions admitted to subsidised training today (Asia/Shanghai) — status normal and no
 * black-list entry in force — by credit code, name and region, with the published projects
 * each is admitted to run (organisations only, no personal data), published as Ningbo 三(三)
 * and 五(三) ask.  Keyset pages by credit code; JSON, or CSV
 * (UTF-8 with a byte-order mark) when Accept names text/csv. */
#include "handlers.h"
#include "ops.h"
#include "sr_ids.h"

static const char *const columns[] = {"credit_code", "name", "region", "projects", NULL};

struct query {
    const char *region, *after;
    long long limit;
    char day[SR_DATE_STRLEN];
};

static enum db_rc fetch(struct db_conn *db, void *cls, struct db_page *page)
{
    const struct query *q = cls;
    return db_institutions_admitted(db, q->region, q->day, q->after, (int)q->limit, page);
}

void get_public_institutions(struct req *r)
{
    struct query q = {.limit = 50};
    sr_day_format(cj_today(), q.day);
    const struct jfield spec[] = {
        jfield_region("region", &q.region, false),
        {.name = "after", .kind = JF_STRING, .min = 1, .max = 18, .out = &q.after},
        jfield_limit(&q.limit),
    };
    reply_query_page_csv(r, spec, sizeof spec / sizeof spec[0], fetch, &q, columns);
}
