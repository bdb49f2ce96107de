/* GET /v1/finance/readiness?region=CODE[&ready=true|false][&after=][&limit=]: for the finance
 * role, the payee readiness of a region's claims (and its districts') that are payable, or
 * approved or in their notice period (payable: false, listed so that payees can be prepared):
 * each with ready and the reasons it is not (sql/0037 payee_readiness), never left out.  Keyset
 * pages by claim id.  Account and ID numbers masked.  A region not within the caller's regions
 * is 404. */
#include "finance.h"
#include "handlers.h"

static const char *const ready_values[] = {"true", "false", NULL};

void get_finance_readiness(struct req *r)
{
    struct db_readiness_filter f = {0};
    long long after = 0, limit = 50;
    const struct jfield spec[] = {
        jfield_region("region", &f.region, true),
        {.name = "ready",
         .kind = JF_STRING,
         .min = 4,
         .max = 5,
         .one_of = ready_values,
         .out = &f.ready},
        jfield_after_id(&after),
        jfield_limit(&limit),
    };
    if (!jspec_query(r, spec, sizeof spec / sizeof spec[0])) {
        reply_field_errors(r, SD_E_BAD_QUERY);
        return;
    }
    f.after = after;
    f.limit = (int)limit;
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    struct db_page page = {0};
    bool yours = false;
    enum db_rc rc = finance_readiness(db, &r->who, &f, &page, &yours);
    if (rc == DB_OK && !yours) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    reply_list_rc(r, rc, &page);
}
