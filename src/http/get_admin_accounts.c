/* GET /v1/admin/accounts?role=&status=&region=&after=&limit=: accounts, keyset pages by id. */
#include <stdint.h>

#include "handlers.h"
#include "ops.h"

static const char *const statuses[] = {"active", "disabled", NULL};

void get_admin_accounts(struct req *r)
{
    struct db_account_filter f = {0};
    long long after = 0, limit = 50;
    const struct jfield spec[] = {
        {.name = "role",
         .kind = JF_STRING,
         .min = 1,
         .max = 16,
         .one_of = role_names,
         .out = &f.role},
        {.name = "status",
         .kind = JF_STRING,
         .min = 1,
         .max = 16,
         .one_of = statuses,
         .out = &f.status},
        jfield_region("region", &f.region, false),
        {.name = "after", .kind = JF_INT, .min = 0, .max = INT64_MAX, .out = &after},
        jfield_limit(&limit),
    };
    if (!req_query(r, spec, sizeof spec / sizeof spec[0]))
        return;
    f.after = after, f.limit = (int)limit;
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    struct db_page page;
    enum db_rc rc = db_account_list(db, &f, &page);
    reply_list_rc(r, rc, &page);
}
