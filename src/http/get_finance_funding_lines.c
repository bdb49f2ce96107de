/* GET /v1/finance/funding-lines?region=CODE[&year=YYYY]: for the finance role, a region's funding
 * lines (subsidyctl funding set) with their yearly budget, what batches have committed against
 * it (0 until disbursement batches exist) and what remains.  A region not within the caller's
 * regions is 404. */
#include <stdlib.h>

#include "finance.h"
#include "handlers.h"

void get_finance_funding_lines(struct req *r)
{
    const char *region = NULL;
    long long year = 0;
    const struct jfield spec[] = {jfield_region("region", &region, true), jfield_year(&year)};
    if (!jspec_query(r, spec, sizeof spec / sizeof spec[0])) {
        reply_field_errors(r, SD_E_BAD_QUERY);
        return;
    }
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    char *json = NULL;
    bool yours = false;
    enum db_rc rc = finance_funding_lines(db, &r->who, region, (int)year, &json, &yours);
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    if (!yours) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    json_t *items = json_loads(json, 0, NULL);
    free(json);
    if (!items) {
        reply_db(r, DB_HARD);
        return;
    }
    reply_json(r, 200, json_pack("{s:o}", "items", items));
}
