/* GET /v1/tokens: admins list tokens (never their secrets), keyset-paginated by id. */
#include <stdlib.h>

#include "handlers.h"
#include "ops.h"

static json_t *nullable(PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? json_null() : json_string(PQgetvalue(res, row, col));
}

void get_tokens(struct req *r)
{
    long long limit = 50, after = 0;
    const struct jfield spec[] = {
        {.name = "limit", .kind = JF_INT, .min = 1, .max = config.max_page_size, .out = &limit},
        {.name = "after", .kind = JF_INT, .min = 0, .max = INT64_MAX, .out = &after},
    };
    if (!jspec_query(r, spec, sizeof spec / sizeof spec[0])) {
        reply_field_errors(r, SD_E_BAD_QUERY);
        return;
    }
    struct db_conn *db = db_thread_conn();
    PGresult *res = NULL;
    enum db_rc rc = db ? db_token_list(db, after, (int)limit + 1, &res) : DB_UNAVAILABLE;
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    int n = PQntuples(res);
    bool more = n > limit;
    if (more)
        n = (int)limit;
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(
            items,
            json_pack("{s:I, s:s, s:o, s:o, s:s, s:s, s:s, s:o}", "id",
                      (json_int_t)atoll(PQgetvalue(res, i, 0)), "role", PQgetvalue(res, i, 1),
                      "subject", nullable(res, i, 2), "regions", csv_to_json(PQgetvalue(res, i, 3)),
                      "label", PQgetvalue(res, i, 4), "created_at", PQgetvalue(res, i, 5),
                      "expires_at", PQgetvalue(res, i, 6), "revoked_at", nullable(res, i, 7)));
    json_t *next = more ? json_integer(atoll(PQgetvalue(res, n - 1, 0))) : json_null();
    PQclear(res);
    reply_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_after", next));
}
