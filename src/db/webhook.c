/* The webhooks notifications are posted to (notification_db.h): added, listed and disabled by
 * subsidyctl, as the schema owner (the service's role only reads them).  The secret is sealed
 * before it reaches here and never read back out by these statements. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_exec.h"
#include "notification_db.h"

// clang-format off
#define WEBHOOK_JSON(w)                                                                            \
    "json_build_object('id', " w ".id, 'url', " w ".url, 'events', " w ".events, 'enabled', "    \
    w ".enabled, 'created_at', to_char(" w ".created_at AT TIME ZONE 'UTC',"                     \
    " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), 'disabled_at', to_char(" w ".disabled_at AT TIME ZONE"   \
    " 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"

const struct db_stmt db_stmt_webhook_add = {
    "webhook_add",
    /* $1 url $2 sealed secret $3 events ('' every kind) */
    "INSERT INTO webhook AS w (url, secret_sealed, events)"
    " VALUES ($1, $2::bytea, nullif($3, '')::text[]) RETURNING " WEBHOOK_JSON("w") "::text",
    3};

const struct db_stmt db_stmt_webhook_list = {
    "webhook_list",
    "SELECT coalesce(json_agg(" WEBHOOK_JSON("w") " ORDER BY w.id), '[]')::text FROM webhook w",
    0};

const struct db_stmt db_stmt_webhook_disable = {
    "webhook_disable",
    /* $1 id */
    "UPDATE webhook AS w SET enabled = false, disabled_at = now()"
    " WHERE w.id = $1::bigint AND w.enabled RETURNING " WEBHOOK_JSON("w") "::text",
    1};
// clang-format on

/* The one text value of statement s's one row into *json. */
static enum db_rc one_text(struct db_conn *c, const struct db_stmt *s, const char *const *p,
                           char **json)
{
    enum db_rc rc;
    *json = NULL;
    PGresult *res = db_exec_row(c, s, p, false, &rc);
    if (!res)
        return rc;
    *json = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return *json ? DB_OK : DB_HARD;
}

enum db_rc db_webhook_add(struct db_conn *c, const char *url, const char *secret_sealed,
                          const char *events_array, char **json)
{
    const char *p[] = {url, secret_sealed, events_array};
    return one_text(c, &db_stmt_webhook_add, p, json);
}

enum db_rc db_webhook_list(struct db_conn *c, char **json)
{
    return one_text(c, &db_stmt_webhook_list, NULL, json);
}

enum db_rc db_webhook_disable(struct db_conn *c, long long id, char **json)
{
    char idt[24];
    snprintf(idt, sizeof idt, "%lld", id);
    const char *p[] = {idt};
    return one_text(c, &db_stmt_webhook_disable, p, json);
}
