/* Payee accounts imported with the state's social-insurance records (payee_db.h), one
 * statement: a person's imported row is replaced when it differs, so an export sent again
 * changes nothing twice. */
#include "db_exec.h"
#include "payee_db.h"

// clang-format off
const struct db_stmt db_stmt_payee_account_import = {
    "payee_account_import",
    /* $1 rows (payee_db.h) $2 origin $3 actor */
    "WITH w AS (INSERT INTO payee_account AS a (id_hash, source, bank_code, bank_name,"
    "  account_sealed, account_masked, holder_name, holder_id_hash, holder_id_sealed,"
    "  holder_id_masked, status, origin, recorded_by)"
    "  SELECT decode(substr(x.id_hash, 3), 'hex'), 'import', x.bank_code, x.bank_name,"
    "  decode(substr(x.account_sealed, 3), 'hex'), x.account_masked, x.holder_name,"
    "  decode(substr(x.holder_id_hash, 3), 'hex'), decode(substr(x.holder_id_sealed, 3), 'hex'),"
    "  x.holder_id_masked, x.status, $2, nullif($3::bigint, 0)"
    "  FROM jsonb_to_recordset($1::jsonb) AS x (id_hash text, bank_code text, bank_name text,"
    "   account_sealed text, account_masked text, holder_name text, holder_id_hash text,"
    "   holder_id_sealed text, holder_id_masked text, status text)"
    "  ON CONFLICT (id_hash, source) DO UPDATE SET bank_code = EXCLUDED.bank_code,"
    "  bank_name = EXCLUDED.bank_name, account_sealed = EXCLUDED.account_sealed,"
    "  account_masked = EXCLUDED.account_masked, holder_name = EXCLUDED.holder_name,"
    "  holder_id_hash = EXCLUDED.holder_id_hash, holder_id_sealed = EXCLUDED.holder_id_sealed,"
    "  holder_id_masked = EXCLUDED.holder_id_masked, status = EXCLUDED.status,"
    "  origin = EXCLUDED.origin, recorded_at = now(), recorded_by = EXCLUDED.recorded_by"
    /* the sealed values differ at each sealing (a fresh nonce): compare what they stand for */
    "  WHERE (a.bank_code, a.bank_name, a.account_masked, a.holder_name, a.holder_id_hash,"
    "   a.status) IS DISTINCT FROM (EXCLUDED.bank_code, EXCLUDED.bank_name,"
    "   EXCLUDED.account_masked, EXCLUDED.holder_name, EXCLUDED.holder_id_hash, EXCLUDED.status)"
    "  RETURNING (xmax = 0) AS added)"
    " SELECT count(*) FILTER (WHERE added), count(*) FILTER (WHERE NOT added) FROM w",
    3};
// clang-format on

enum db_rc db_payee_account_import(struct db_conn *c, const char *rows_json, const char *origin,
                                   long long actor, long *added, long *updated)
{
    return db_import_counts(c, &db_stmt_payee_account_import, rows_json, origin, actor, added,
                            updated);
}
