/* GET /v1/public/institution-lists?of=&list=&after=&limit=, without a token, rate-limited: the
 * red and black list entries in force today (Asia/Shanghai: from valid_from to valid_to, both
 * days included) of training institutions (of=institution, the default) or of evaluation
 * bodies (of=evaluation_body) — the organisations' codes and names with the entries, no
 * personal data — published as Ningbo 三(三) and 五(三) ask (定期向社会公布).  Keyset pages by
 * entry id; JSON, or CSV for a spreadsheet (UTF-8 with a byte-order mark) when Accept names
 * text/csv. */
#include <string.h>

#include "handlers.h"
#include "ops.h"
#include "sr_ids.h"

static const char *const registers[] = {"institution", "evaluation_body", NULL};
static const char *const lists[] = {"red", "black", NULL};
static const char *const columns[] = {"id",     "credit_code", "name",     "list",
                                      "reason", "valid_from",  "valid_to", NULL};

struct query {
    const char *of, *list;
    long long after, limit;
    char day[SR_DATE_STRLEN];
};

static enum db_rc fetch(struct db_conn *db, void *cls, struct db_page *page)
{
    const struct query *q = cls;
    bool bodies = q->of && strcmp(q->of, "evaluation_body") == 0;
    return db_listed_in_force(db, bodies ? &db_evaluation_bodies : &db_institutions, q->list,
                              q->day, q->after, (int)q->limit, page);
}

void get_public_institution_lists(struct req *r)
{
    struct query q = {.limit = 50};
    sr_day_format(cj_today(), q.day);
    const struct jfield spec[] = {
        {.name = "of", .kind = JF_STRING, .min = 1, .max = 16, .one_of = registers, .out = &q.of},
        {.name = "list", .kind = JF_STRING, .min = 1, .max = 8, .one_of = lists, .out = &q.list},
        jfield_after_id(&q.after),
        jfield_limit(&q.limit),
    };
    reply_query_page_csv(r, spec, sizeof spec / sizeof spec[0], fetch, &q, columns);
}
