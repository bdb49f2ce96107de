/* GET /v1/admin/accounts?role=&status=&region=&after=&limit=: accounts, keyset pages by id. */
#include <stdint.h>

#include "handlers.h"
#include "ops.h"

static const char *const statuses[] = {"active", "disabled", NULL};

struct query {
    struct db_account_filter f;
    long long after, limit;
};

static enum db_rc fetch(struct db_conn *db, void *cls, struct db_page *page)
{
    struct query *q = cls;
    q->f.after = q->after, q->f.limit = (int)q->limit;
    return db_account_list(db, &q->f, page);
}

void get_admin_accounts(struct req *r)
{
    struct query q = {.limit = 50};
    const struct jfield spec[] = {
        {.name = "role",
         .kind = JF_STRING,
         .min = 1,
         .max = 16,
         .one_of = sr_role_values,
         .out = &q.f.role},
        {.name = "status",
         .kind = JF_STRING,
         .min = 1,
         .max = 16,
         .one_of = statuses,
         .out = &q.f.status},
        jfield_region("region", &q.f.region, false),
        jfield_after_id(&q.after),
        jfield_limit(&q.limit),
    };
    reply_query_page(r, spec, sizeof spec / sizeof spec[0], fetch, &q);
}
