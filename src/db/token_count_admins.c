#include <stdlib.h>

#include "ops.h"
#include "db_exec.h"

const struct db_stmt db_stmt_token_count_admins = {
    "token_count_admins",
    "SELECT count(*) FROM token t LEFT JOIN account a ON a.id = t.account_id"
    " WHERE coalesce(a.role, t.role) = 'admin' AND t.revoked_at IS NULL"
    "   AND t.expires_at > now() AND coalesce(a.status, 'active') = 'active'",
    0};

enum db_rc db_token_count_admins(struct db_conn *c, long long *n)
{
    enum db_rc rc;
    PGresult *res = db_exec_ro(c, &db_stmt_token_count_admins, NULL, &rc);
    if (!res)
        return rc;
    *n = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    return DB_OK;
}
