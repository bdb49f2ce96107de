/* GET /v1/occupations?q=&after=&limit=: the reference list of occupations, keyset pages by code;
 * q keeps those whose code or name starts with it.  Any role reads it. */
#include "handlers.h"
#include "ops.h"

void get_occupations(struct req *r)
{
    const char *q = NULL, *after = NULL;
    long long limit = 50;
    const struct jfield spec[] = {
        {.name = "q", .kind = JF_STRING, .min = 1, .max = 100, .out = &q},
        {.name = "after", .kind = JF_STRING, .min = 1, .max = 31, .out = &after},
        jfield_limit(&limit),
    };
    if (!req_query(r, spec, sizeof spec / sizeof spec[0]))
        return;
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    struct db_page page;
    enum db_rc rc = db_occupation_list(db, q, after, (int)limit, &page);
    reply_list_rc(r, rc, &page);
}
