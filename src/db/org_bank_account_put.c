/* An organisation's bank account on its registry entry (payee_db.h): created or replaced. */
#include <stdio.h>

#include "db_exec.h"
#include "payee_db.h"

// clang-format off
const struct db_stmt db_stmt_org_bank_account_put = {
    "org_bank_account_put",
    /* $1 kind (enterprise, institution) $2 credit code $3 bank_code $4 bank_name
     * $5 account_sealed $6 account_masked $7 holder_name $8 status $9 actor */
    /* the registry entry is locked (registry.c), so no other write races this one */
    "WITH up AS (UPDATE org_bank_account SET bank_code = $3, bank_name = $4,"
    "  account_sealed = $5::bytea, account_masked = $6, holder_name = $7, status = $8,"
    "  updated_at = now(), updated_by = nullif($9::bigint, 0)"
    "  WHERE ($1 = 'enterprise' AND enterprise = $2) OR ($1 = 'institution' AND institution = $2)"
    "  RETURNING 1)"
    " INSERT INTO org_bank_account (enterprise, institution, bank_code, bank_name,"
    "  account_sealed, account_masked, holder_name, status, updated_by)"
    " SELECT CASE WHEN $1 = 'enterprise' THEN $2 END, CASE WHEN $1 = 'institution' THEN $2 END,"
    "  $3, $4, $5::bytea, $6, $7, $8, nullif($9::bigint, 0)"
    " WHERE NOT EXISTS (SELECT FROM up)",
    9};
// clang-format on

enum db_rc db_org_bank_account_put(struct db_conn *c, const char *kind, const char *code,
                                   const struct db_payee_account_write *w)
{
    char actor[24];
    snprintf(actor, sizeof actor, "%lld", w->actor);
    const char *p[] = {kind,
                       code,
                       w->bank_code,
                       w->bank_name,
                       w->account_sealed,
                       w->account_masked,
                       w->holder_name,
                       w->status ? w->status : "active",
                       actor};
    enum db_rc rc;
    PGresult *res = db_exec(c, &db_stmt_org_bank_account_put, p, &rc);
    if (!res)
        return rc;
    PQclear(res);
    return DB_OK;
}
