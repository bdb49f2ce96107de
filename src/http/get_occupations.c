/* GET /v1/occupations?q=&after=&limit=: the reference list of occupations, keyset pages by code;
 * q keeps those whose code or name starts with it.  Any role reads it. */
#include "handlers.h"
#include "ops.h"

struct query {
    const char *q, *after;
    long long limit;
};

static enum db_rc fetch(struct db_conn *db, void *cls, struct db_page *page)
{
    const struct query *x = cls;
    return db_occupation_list(db, x->q, x->after, (int)x->limit, page);
}

void get_occupations(struct req *r)
{
    struct query x = {.limit = 50};
    const struct jfield spec[] = {
        {.name = "q", .kind = JF_STRING, .min = 1, .max = 100, .out = &x.q},
        {.name = "after", .kind = JF_STRING, .min = 1, .max = 31, .out = &x.after},
        jfield_limit(&x.limit),
    };
    reply_query_page(r, spec, sizeof spec / sizeof spec[0], fetch, &x);
}
