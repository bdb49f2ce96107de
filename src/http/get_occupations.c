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
        {.name = "limit", .kind = JF_INT, .min = 1, .max = config.max_page_size, .out = &limit},
    };
    if (!jspec_query(r, spec, sizeof spec / sizeof spec[0])) {
        reply_field_errors(r, SD_E_BAD_QUERY);
        return;
    }
    struct db_conn *db = db_thread_conn();
    PGresult *res = NULL;
    enum db_rc rc = db ? db_occupation_list(db, q, after, (int)limit + 1, &res) : DB_UNAVAILABLE;
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    reply_page(r, res, (int)limit, false);
    PQclear(res);
}
