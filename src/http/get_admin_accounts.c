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
        {.name = "region",
         .kind = JF_STRING,
         .min = 6,
         .max = SD_REGION_LEN,
         .format = &region_code_format,
         .out = &f.region},
        {.name = "after", .kind = JF_INT, .min = 0, .max = INT64_MAX, .out = &after},
        {.name = "limit", .kind = JF_INT, .min = 1, .max = config.max_page_size, .out = &limit},
    };
    if (!jspec_query(r, spec, sizeof spec / sizeof spec[0])) {
        reply_field_errors(r, SD_E_BAD_QUERY);
        return;
    }
    f.after = after, f.limit = (int)limit + 1;
    struct db_conn *db = db_thread_conn();
    PGresult *res = NULL;
    enum db_rc rc = db ? db_account_list(db, &f, &res) : DB_UNAVAILABLE;
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    reply_page(r, res, (int)limit, true);
    PQclear(res);
}
