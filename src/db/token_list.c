#include <stdio.h>

#include "ops.h"
#include "db_exec.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* Role, subject and regions as authentication sees them: an account's token shows the account
 * as it is now, not the copy taken at issue.  An applicant's subject is shown masked. */
/* clang-format off */
const struct db_stmt db_stmt_token_list = {
    "token_list",
    "SELECT json_build_object('id', t.id, 'role', coalesce(a.role, t.role),"
    "       'subject', CASE WHEN a.id IS NULL THEN coalesce(t.subject_masked, t.subject)"
    "                       ELSE coalesce(a.subject_masked, a.subject) END,"
    "       'regions', array_to_json(coalesce(a.regions, t.regions)), 'label', t.label,"
    "       'created_at', " TS("t.created_at") ", 'expires_at', " TS("t.expires_at") ","
    "       'revoked_at', " TS("t.revoked_at") ")::text, t.id"
    "  FROM token t LEFT JOIN account a ON a.id = t.account_id"
    " WHERE t.id > $1::bigint ORDER BY t.id LIMIT $2::int",
    2};
/* clang-format on */

enum db_rc db_token_list(struct db_conn *c, long long after, int limit, struct db_page *out)
{
    char a[24];
    snprintf(a, sizeof a, "%lld", after);
    const char *params[] = {a, NULL};
    return db_page_exec(c, &db_stmt_token_list, params, limit, DB_KEY_INT, out);
}
