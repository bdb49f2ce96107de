/* GET /v1/catalogs?policy=&year=&on=&after=&limit=: published catalog versions, keyset pages;
 * with on=YYYY-MM-DD only the version in force that day for each policy and year. */

#include "handlers.h"
#include "ops.h"

struct query {
    struct db_catalog_filter f;
    long long year, after, limit;
};

static enum db_rc fetch(struct db_conn *db, void *cls, struct db_page *page)
{
    struct query *q = cls;
    q->f.year = (int)q->year, q->f.after = q->after, q->f.limit = (int)q->limit;
    return db_catalog_list(db, &q->f, page);
}

void get_catalogs(struct req *r)
{
    struct query q = {.limit = 50};
    const struct jfield spec[] = {
        jfield_policy(&q.f.policy, false),
        jfield_year(&q.year),
        jfield_date("on", &q.f.on, false),
        jfield_after_id(&q.after),
        jfield_limit(&q.limit),
    };
    reply_query_page(r, spec, sizeof spec / sizeof spec[0], fetch, &q);
}
