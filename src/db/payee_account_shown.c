/* A person's payee account as their profile shows it (payee_db.h): masked, with its source. */
#include "db_exec.h"
#include "payee_db.h"

// clang-format off
const struct db_stmt db_stmt_payee_account_shown = {
    "payee_account_shown",
    /* $1 id_hash */
    "SELECT json_build_object('payee_account', (SELECT json_build_object('source', a.source,"
    "  'bank_code', a.bank_code, 'bank_name', a.bank_name, 'account_number_masked',"
    "  a.account_masked, 'holder_name', a.holder_name, 'holder_id_number_masked',"
    "  a.holder_id_masked, 'status', a.status) FROM payee_account a"
    "  WHERE a.id_hash = $1::bytea ORDER BY a.source = 'import' DESC LIMIT 1),"
    " 'payee_account_superseded', (SELECT count(*) = 2 FROM payee_account a"
    "  WHERE a.id_hash = $1::bytea))::text",
    1};
// clang-format on

enum db_rc db_payee_account_shown(struct db_conn *c, const char *id_hash, json_t **out)
{
    const char *p[] = {id_hash};
    return db_json_exec(c, &db_stmt_payee_account_shown, p, out);
}
