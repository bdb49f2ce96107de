/* The operator's view of the notification outbox (notification_db.h): the rows of a state
 * (the dead letters, mostly) and a dead row put back to be posted again, both by subsidyctl. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_exec.h"
#include "notification_db.h"

// clang-format off
#define OUTBOX_TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

const struct db_stmt db_stmt_outbox_list = {
    "outbox_list",
    /* $1 state ('' every state) $2 limit */
    "SELECT coalesce(json_agg(json_build_object('id', o.id, 'kind', o.kind, 'claim_id',"
    "  o.claim_id, 'class_id', o.class_id, 'state', o.state, 'attempts', o.attempts,"
    "  'next_attempt_at', " OUTBOX_TS("o.next_attempt_at") ", 'last_error', o.last_error,"
    "  'created_at', " OUTBOX_TS("o.created_at") ", 'delivered_at', "
    OUTBOX_TS("o.delivered_at") ") ORDER BY o.id DESC), '[]')::text"
    " FROM (SELECT * FROM notification_outbox WHERE $1 = '' OR state = $1"
    "  ORDER BY id DESC LIMIT $2::int) o",
    2};

const struct db_stmt db_stmt_outbox_retry = {
    "outbox_retry",
    /* $1 id: a dead row pending again, due now, with its attempts from 0 (its webhooks that
     * already answered 2xx are not posted to again) */
    "WITH old AS (SELECT id, state, attempts FROM notification_outbox"
    "  WHERE id = $1::bigint AND state = 'dead' FOR UPDATE),"
    " r AS (UPDATE notification_outbox o SET state = 'pending', attempts = 0,"
    "  next_attempt_at = now() FROM old WHERE o.id = old.id RETURNING o.id, o.state, o.attempts)"
    " SELECT json_build_object('id', old.id, 'state', old.state, 'attempts', old.attempts)::text,"
    "  json_build_object('id', r.id, 'state', r.state, 'attempts', r.attempts)::text"
    " FROM old JOIN r ON r.id = old.id",
    1};
// clang-format on

enum db_rc db_outbox_list(struct db_conn *c, const char *state, int limit, char **json)
{
    char n[16];
    snprintf(n, sizeof n, "%d", limit);
    const char *p[] = {state, n};
    enum db_rc rc;
    *json = NULL;
    PGresult *res = db_exec_row(c, &db_stmt_outbox_list, p, true, &rc);
    if (!res)
        return rc;
    *json = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return *json ? DB_OK : DB_HARD;
}

enum db_rc db_outbox_retry(struct db_conn *c, long long id, char **before, char **after)
{
    char idt[24];
    snprintf(idt, sizeof idt, "%lld", id);
    const char *p[] = {idt};
    enum db_rc rc;
    *before = *after = NULL;
    PGresult *res = db_exec_row(c, &db_stmt_outbox_retry, p, false, &rc);
    if (!res)
        return rc;
    *before = strdup(PQgetvalue(res, 0, 0));
    *after = strdup(PQgetvalue(res, 0, 1));
    PQclear(res);
    if (!*before || !*after) {
        free(*before);
        free(*after);
        *before = *after = NULL;
        return DB_HARD;
    }
    return DB_OK;
}
