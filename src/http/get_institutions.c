/* GET /v1/institutions?region=&status=&after=&limit=: training institutions with their status,
 * keyset pages by credit code; any role reads them. */
#include "handlers.h"
#include "ops.h"

static const char *const statuses[] = {"normal", "suspended", NULL};

void get_institutions(struct req *r)
{
    const char *region = NULL, *status = NULL, *after = NULL;
    long long limit = 50;
    const struct jfield spec[] = {
        {.name = "region",
         .kind = JF_STRING,
         .min = 6,
         .max = SD_REGION_LEN,
         .format = &region_code_format,
         .out = &region},
        {.name = "status",
         .kind = JF_STRING,
         .min = 1,
         .max = 16,
         .one_of = statuses,
         .out = &status},
        {.name = "after", .kind = JF_STRING, .min = 1, .max = 18, .out = &after},
        {.name = "limit", .kind = JF_INT, .min = 1, .max = config.max_page_size, .out = &limit},
    };
    if (!jspec_query(r, spec, sizeof spec / sizeof spec[0])) {
        reply_field_errors(r, SD_E_BAD_QUERY);
        return;
    }
    struct db_conn *db = db_thread_conn();
    PGresult *res = NULL;
    enum db_rc rc =
        db ? db_institution_list(db, region, status, after, (int)limit + 1, &res) : DB_UNAVAILABLE;
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    reply_page(r, res, (int)limit, false);
    PQclear(res);
}
