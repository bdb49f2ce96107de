/* The delivery worker's two statements (notification_db.h): take a due row with a lease, and
 * settle it after the posts.  Each runs alone (no transaction is held while posting). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_exec.h"
#include "notification_db.h"

// clang-format off
const struct db_stmt db_stmt_notification_take = {
    "notification_take",
    /* $1 ms one post may take (its total timeout); the body is built from the stored columns
     * only, so every attempt posts the same bytes */
    "WITH d AS (SELECT o.id FROM notification_outbox o"
    "  WHERE o.state = 'pending' AND o.next_attempt_at <= now()"
    "  AND EXISTS (SELECT 1 FROM webhook WHERE enabled)"
    "  ORDER BY o.next_attempt_at, o.id LIMIT 1 FOR UPDATE SKIP LOCKED),"
    " t AS (UPDATE notification_outbox o SET attempts = o.attempts + 1,"
    "  next_attempt_at = now() + ($1::bigint * (SELECT count(*) FROM webhook WHERE enabled)"
    "   + 2000) * interval '1 millisecond'"
    "  FROM d WHERE o.id = d.id RETURNING o.*)"
    " SELECT t.id, t.attempts, jsonb_build_object('id', t.id, 'kind', t.kind, 'created_at',"
    "   to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    "   'recipient', jsonb_build_object('role', t.recipient_role, 'subject', t.recipient_subject),"
    "   'data', t.payload)::text,"
    "  (SELECT coalesce(json_agg(json_build_object('id', w.id, 'url', w.url, 'secret_sealed',"
    "    w.secret_sealed) ORDER BY w.id), '[]')::text FROM webhook w"
    "   WHERE w.enabled AND (w.events IS NULL OR t.kind = ANY (w.events))"
    "   AND NOT (w.id = ANY (t.delivered_to)))"
    " FROM t",
    1};

const struct db_stmt db_stmt_notification_settle = {
    "notification_settle",
    /* $1 id $2 webhooks delivered now ('' none, else 1,2) $3 done $4 max attempts $5 retry in
     * ms $6 last error ('' none) */
    "UPDATE notification_outbox SET"
    " delivered_to = delivered_to || string_to_array(nullif($2, ''), ',')::bigint[],"
    " state = CASE WHEN $3::boolean THEN 'delivered' WHEN attempts >= $4::int THEN 'dead'"
    "  ELSE 'pending' END,"
    " delivered_at = CASE WHEN $3::boolean THEN now() END,"
    " next_attempt_at = CASE WHEN $3::boolean OR attempts >= $4::int THEN next_attempt_at"
    "  ELSE now() + $5::bigint * interval '1 millisecond' END,"
    " last_error = CASE WHEN $6 = '' THEN last_error ELSE left($6, 300) END"
    " WHERE id = $1::bigint AND state = 'pending' RETURNING state",
    6};
// clang-format on

void db_notification_free(struct db_notification *n)
{
    free(n->body);
    free(n->webhooks_json);
    n->body = n->webhooks_json = NULL;
}

enum db_rc db_notification_take(struct db_conn *c, long per_post_ms, struct db_notification *out)
{
    char ms[24];
    snprintf(ms, sizeof ms, "%ld", per_post_ms);
    const char *p[] = {ms};
    memset(out, 0, sizeof *out);
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_notification_take, p, false, &rc);
    if (!res)
        return rc;
    out->id = atoll(PQgetvalue(res, 0, 0));
    out->attempts = atoi(PQgetvalue(res, 0, 1));
    out->body = strdup(PQgetvalue(res, 0, 2));
    out->webhooks_json = strdup(PQgetvalue(res, 0, 3));
    PQclear(res);
    if (!out->body || !out->webhooks_json) {
        db_notification_free(out);
        return DB_HARD;
    }
    return DB_OK;
}

enum db_rc db_notification_settle(struct db_conn *c, long long id, const char *delivered_csv,
                                  bool done, int max_attempts, long retry_ms,
                                  const char *last_error, char state[16])
{
    char idt[24], max[16], retry[24];
    snprintf(idt, sizeof idt, "%lld", id);
    snprintf(max, sizeof max, "%d", max_attempts);
    snprintf(retry, sizeof retry, "%ld", retry_ms);
    const char *p[] = {idt, delivered_csv, done ? "true" : "false", max, retry, last_error};
    enum db_rc rc;
    state[0] = '\0';
    PGresult *res = db_exec_row(c, &db_stmt_notification_settle, p, false, &rc);
    if (!res)
        return rc;
    snprintf(state, 16, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return DB_OK;
}
