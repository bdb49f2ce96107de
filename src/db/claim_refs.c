/* What a claim's body refers to that must exist before it is judged, looked up in one round
 * trip (db_exec_many): its regions and, when an enterprise files it, that enterprise. */
#include "ops.h"
#include "db_exec.h"

enum db_rc db_claim_refs(struct db_conn *c, const char *codes_csv, const char *enterprise,
                         json_t **missing, bool *registered)
{
    const struct db_stmt *s[] = {&db_stmt_region_missing, &db_stmt_enterprise_get};
    const char *regions[] = {codes_csv}, *code[] = {enterprise};
    const char *const *params[] = {regions, code};
    PGresult *res[2];
    *missing = NULL;
    *registered = false;
    enum db_rc rc = db_exec_many(c, enterprise ? 2 : 1, s, params, res);
    if (rc != DB_OK)
        return rc;
    if (enterprise) {
        *registered = PQntuples(res[1]) == 1;
        PQclear(res[1]);
    }
    return db_region_missing_read(res[0], missing);
}
