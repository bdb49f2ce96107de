/* GET /v1/admin/trade-friction?credit_code=&on=&after=&limit=: trade-friction listings, keyset
 * pages by id; with on=YYYY-MM-DD only those in force that day. */
#include "handlers.h"
#include "ops.h"

struct query {
    const char *code, *on;
    long long after, limit;
};

static enum db_rc fetch(struct db_conn *db, void *cls, struct db_page *page)
{
    const struct query *q = cls;
    return db_trade_friction_list(db, q->code, q->on, q->after, (int)q->limit, page);
}

void get_admin_trade_friction(struct req *r)
{
    struct query q = {.limit = 50};
    const struct jfield spec[] = {
        {.name = "credit_code",
         .kind = JF_STRING,
         .min = 18,
         .max = 18,
         .format = &cj_credit_code_format,
         .out = &q.code},
        jfield_date("on", &q.on, false),
        jfield_after_id(&q.after),
        jfield_limit(&q.limit),
    };
    reply_query_page(r, spec, sizeof spec / sizeof spec[0], fetch, &q);
}
