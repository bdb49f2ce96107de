#include <stdio.h>

#include "ops.h"
#include "db_exec.h"

const struct db_stmt db_stmt_token_revoke = {
    "token_revoke",
    "UPDATE token SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1::bigint"
    " RETURNING revoked_at = now(), to_char(revoked_at AT TIME ZONE 'UTC',"
    " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
    1};

enum db_rc db_token_revoke(struct db_conn *c, long long id, bool *newly, char revoked_at[32])
{
    char idtext[24];
    snprintf(idtext, sizeof idtext, "%lld", id);
    const char *params[] = {idtext};
    enum db_rc rc;
    PGresult *res = db_exec(c, &db_stmt_token_revoke, params, &rc);
    if (!res)
        return rc;
    rc = PQntuples(res) == 1 ? DB_OK : DB_NOT_FOUND;
    if (rc == DB_OK) {
        *newly = PQgetvalue(res, 0, 0)[0] == 't';
        snprintf(revoked_at, 32, "%s", PQgetvalue(res, 0, 1));
    }
    PQclear(res);
    return rc;
}
