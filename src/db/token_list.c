#include <stdio.h>

#include "ops.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

const struct db_stmt db_stmt_token_list = {
    "token_list",
    "SELECT id, role, subject, array_to_string(regions, ','), label, " TS("created_at") ", " TS(
        "expires_at") ", " TS("revoked_at") "  FROM token WHERE id > $1::bigint ORDER BY id LIMIT "
                                            "$2::int",
    2};

enum db_rc db_token_list(struct db_conn *c, long long after, int limit, PGresult **res)
{
    char a[24], l[16];
    snprintf(a, sizeof a, "%lld", after);
    snprintf(l, sizeof l, "%d", limit);
    const char *params[] = {a, l};
    enum db_rc rc;
    *res = db_exec_ro(c, &db_stmt_token_list, params, &rc);
    return rc;
}
