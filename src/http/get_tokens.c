/* GET /v1/tokens: admins list tokens (never their secrets), keyset-paginated by id. */
#include "handlers.h"
#include "ops.h"

void get_tokens(struct req *r)
{
    long long limit = 50, after = 0;
    const struct jfield spec[] = {
        jfield_limit(&limit),
        {.name = "after", .kind = JF_INT, .min = 0, .max = INT64_MAX, .out = &after},
    };
    if (!req_query(r, spec, sizeof spec / sizeof spec[0]))
        return;
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    struct db_page page;
    enum db_rc rc = db_token_list(db, after, (int)limit, &page);
    reply_list_rc(r, rc, &page);
}
