#include <stdio.h>

#include "ops.h"

const struct db_stmt db_stmt_token_revoke = {
    "token_revoke",
    "UPDATE token SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1::bigint"
    " RETURNING id",
    1};

enum db_rc db_token_revoke(struct db_conn *c, long long id)
{
    char idtext[24];
    snprintf(idtext, sizeof idtext, "%lld", id);
    const char *params[] = {idtext};
    enum db_rc rc;
    PGresult *res = db_exec(c, &db_stmt_token_revoke, params, &rc);
    if (!res)
        return rc;
    rc = PQntuples(res) == 1 ? DB_OK : DB_NOT_FOUND;
    PQclear(res);
    return rc;
}
