/* An applicant's payee account on the profile (payee_db.h): one row of source profile, created
 * or replaced; the imported row, when there is one, is not touched (the state's records win). */
#include <stdio.h>

#include "db_exec.h"
#include "payee_db.h"

// clang-format off
const struct db_stmt db_stmt_payee_account_put_profile = {
    "payee_account_put_profile",
    /* $1 id_hash $2 bank_code $3 bank_name $4 account_sealed $5 account_masked $6 holder_name
     * $7 holder_id_hash $8 holder_id_sealed $9 holder_id_masked $10 actor */
    "INSERT INTO payee_account AS a (id_hash, source, bank_code, bank_name, account_sealed,"
    "  account_masked, holder_name, holder_id_hash, holder_id_sealed, holder_id_masked,"
    "  recorded_by)"
    " VALUES ($1::bytea, 'profile', $2, $3, $4::bytea, $5, $6, $7::bytea, $8::bytea, $9,"
    "  nullif($10::bigint, 0))"
    " ON CONFLICT (id_hash, source) DO UPDATE SET bank_code = EXCLUDED.bank_code,"
    "  bank_name = EXCLUDED.bank_name, account_sealed = EXCLUDED.account_sealed,"
    "  account_masked = EXCLUDED.account_masked, holder_name = EXCLUDED.holder_name,"
    "  holder_id_hash = EXCLUDED.holder_id_hash, holder_id_sealed = EXCLUDED.holder_id_sealed,"
    "  holder_id_masked = EXCLUDED.holder_id_masked, status = 'active', recorded_at = now(),"
    "  recorded_by = EXCLUDED.recorded_by",
    10};
// clang-format on

enum db_rc db_payee_account_put_profile(struct db_conn *c, const struct db_payee_account_write *w)
{
    char actor[24];
    snprintf(actor, sizeof actor, "%lld", w->actor);
    const char *p[] = {w->id_hash,          w->bank_code,   w->bank_name,      w->account_sealed,
                       w->account_masked,   w->holder_name, w->holder_id_hash, w->holder_id_sealed,
                       w->holder_id_masked, actor};
    enum db_rc rc;
    PGresult *res = db_exec(c, &db_stmt_payee_account_put_profile, p, &rc);
    if (!res)
        return rc;
    PQclear(res);
    return DB_OK;
}
