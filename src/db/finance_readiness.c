/* The payee readiness of a region's claims as finance prepares a batch (payee_db.h): the claims
 * about to be payable or payable, each with payee_readiness() (sql/0037) — not ready ones listed
 * with their reasons, never left out. */
#include <stdio.h>

#include "claim_sql.h"
#include "db_exec.h"
#include "payee_db.h"

// clang-format off
const struct db_stmt db_stmt_finance_readiness = {
    "finance_readiness",
    /* $1 region (its own claims and its districts') $2 ready ('' every one, 'true', 'false')
     * $3 after claim id $4 limit */
    "SELECT json_build_object('claim_id', c.id, 'state', c.state, 'payable', c.state = 'payable',"
    " 'region', c.region, 'kind', c.kind, 'year', c.year, 'amount_fen', c.amount_fen,"
    " 'person', json_build_object('name', p.name, 'id_number_masked', p.id_masked),"
    " 'payee', json_build_object('kind', r.payee, 'credit_code', r.payee_code, 'name',"
    "  r.payee_name),"
    " 'account', r.account, 'ready', cardinality(r.reasons) = 0, 'reasons', to_json(r.reasons)"
    ")::text, c.id"
    " FROM claim c JOIN person p ON p.id = c.person_id"
    " CROSS JOIN LATERAL payee_readiness(c.id) r"
    " WHERE c.region IN (SELECT code FROM region WHERE code = $1 OR parent = $1)"
    "   AND c.state IN ('approved', 'in_notice', 'payable') AND c.id > $3::bigint"
    "   AND ($2 = '' OR (cardinality(r.reasons) = 0) = ($2 = 'true'))"
    " ORDER BY c.id LIMIT $4::int",
    4};
// clang-format on

enum db_rc db_finance_readiness(struct db_conn *c, const struct db_readiness_filter *f,
                                struct db_page *out)
{
    char after[24];
    snprintf(after, sizeof after, "%lld", f->after);
    const char *p[] = {f->region, f->ready ? f->ready : "", after, NULL /* db_page_exec's */};
    return db_page_exec(c, &db_stmt_finance_readiness, p, f->limit, DB_KEY_INT, out);
}
