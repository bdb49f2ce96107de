/* An organisation's bank account as its registry entry shows it (payee_db.h): masked. */
#include "db_exec.h"
#include "payee_db.h"

// clang-format off
const struct db_stmt db_stmt_org_bank_account_shown = {
    "org_bank_account_shown",
    /* $1 kind (enterprise, institution) $2 credit code */
    "SELECT json_build_object('bank_account', (SELECT json_build_object('bank_code', b.bank_code,"
    "  'bank_name', b.bank_name, 'account_number_masked', b.account_masked, 'holder_name',"
    "  b.holder_name, 'status', b.status) FROM org_bank_account b"
    "  WHERE ($1 = 'enterprise' AND b.enterprise = $2)"
    "   OR ($1 = 'institution' AND b.institution = $2)))::text",
    2};
// clang-format on

enum db_rc db_org_bank_account_shown(struct db_conn *c, const char *kind, const char *code,
                                     json_t **out)
{
    const char *p[] = {kind, code};
    return db_json_exec(c, &db_stmt_org_bank_account_shown, p, out);
}
