/* GET /v1/admin/trade-friction?credit_code=&on=&after=&limit=: trade-friction listings, keyset
 * pages by id; with on=YYYY-MM-DD only those in force that day. */
#include "handlers.h"
#include "ops.h"

void get_admin_trade_friction(struct req *r)
{
    const char *code = NULL, *on = NULL;
    long long after = 0, limit = 50;
    const struct jfield spec[] = {
        {.name = "credit_code",
         .kind = JF_STRING,
         .min = 18,
         .max = 18,
         .format = &cj_credit_code_format,
         .out = &code},
        {.name = "on",
         .kind = JF_STRING,
         .min = 10,
         .max = 10,
         .format = &cj_date_format,
         .out = &on},
        {.name = "after", .kind = JF_INT, .min = 0, .max = INT64_MAX, .out = &after},
        jfield_limit(&limit),
    };
    if (!req_query(r, spec, sizeof spec / sizeof spec[0]))
        return;
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    struct db_page page;
    enum db_rc rc = db_trade_friction_list(db, code, on, after, (int)limit, &page);
    reply_list_rc(r, rc, &page);
}
