/* GET /v1/catalogs?policy=&year=&on=&after=&limit=: published catalog versions, keyset pages;
 * with on=YYYY-MM-DD only the version in force that day for each policy and year. */

#include "handlers.h"
#include "ops.h"

void get_catalogs(struct req *r)
{
    long long year = 0, after = 0, limit = 50;
    struct db_catalog_filter f = {0};
    const struct jfield spec[] = {
        {.name = "policy",
         .kind = JF_STRING,
         .min = 1,
         .max = 63,
         .format = &policy_id_format,
         .out = &f.policy},
        {.name = "year", .kind = JF_INT, .min = 2000, .max = 2100, .out = &year},
        {.name = "on",
         .kind = JF_STRING,
         .min = 10,
         .max = 10,
         .format = &cj_date_format,
         .out = &f.on},
        {.name = "after", .kind = JF_INT, .min = 0, .max = INT64_MAX, .out = &after},
        jfield_limit(&limit),
    };
    if (!req_query(r, spec, sizeof spec / sizeof spec[0]))
        return;
    f.year = (int)year, f.after = after, f.limit = (int)limit;
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    struct db_page page;
    enum db_rc rc = db_catalog_list(db, &f, &page);
    reply_list_rc(r, rc, &page);
}
