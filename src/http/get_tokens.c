/* GET /v1/tokens: admins list tokens (never their secrets), keyset-paginated by id. */
#include "handlers.h"
#include "ops.h"

struct query {
    long long limit, after;
};

static enum db_rc fetch(struct db_conn *db, void *cls, struct db_page *page)
{
    const struct query *q = cls;
    return db_token_list(db, q->after, (int)q->limit, page);
}

void get_tokens(struct req *r)
{
    struct query q = {.limit = 50};
    const struct jfield spec[] = {jfield_limit(&q.limit), jfield_after_id(&q.after)};
    reply_query_page(r, spec, sizeof spec / sizeof spec[0], fetch, &q);
}
