#ifndef SD_DB_NOTIFICATION_H
#define SD_DB_NOTIFICATION_H

/* The notification outbox and its webhooks (sql/0035_notification_outbox.sql): the rows are
 * written by triggers on the timelines; here the delivery worker takes and settles them
 * (notification_work.c), /metrics counts them (notification_counts.c), and subsidyctl manages
 * the webhooks (webhook.c) and the dead letters (outbox_admin.c). */

#include "ops.h"

/* A due row taken for delivery: its id, the attempt it is (1 the first), the body to post (the
 * same text at every attempt) and the webhooks still to post it to, as JSON
 * [{id, url, secret_sealed}] (secret_sealed as PostgreSQL prints bytea).  Strings are the
 * caller's (db_notification_free). */
struct db_notification {
    long long id;
    int attempts;
    char *body, *webhooks_json;
};
void db_notification_free(struct db_notification *n);

/* Take the oldest due pending row (FOR UPDATE SKIP LOCKED: another worker's is passed over)
 * when any webhook is enabled, and lease it: its next attempt moved lease_ms per enabled
 * webhook plus 2 s ahead, its attempts counted.  DB_NOT_FOUND when none is due. */
enum db_rc db_notification_take(struct db_conn *c, long per_post_ms, struct db_notification *out);

/* Settle row id after an attempt: delivered_csv the webhooks that answered 2xx this time
 * ("" none), done when no webhook is left; else pending again after retry_ms, or dead when
 * its attempts reached max_attempts.  last_error ("" none) is kept.  *state the row's state. */
enum db_rc db_notification_settle(struct db_conn *c, long long id, const char *delivered_csv,
                                  bool done, int max_attempts, long retry_ms,
                                  const char *last_error, char state[16]);

/* The rows by state: pending, delivered, dead (0 where none). */
struct db_notification_counts {
    long long pending, delivered, dead;
};
enum db_rc db_notification_counts(struct db_conn *c, struct db_notification_counts *out);

/* A webhook to add: url, the sealed secret (a bytea literal), the event kinds (a PostgreSQL
 * array literal, "" every kind).  *json the row as listed (never the secret). */
enum db_rc db_webhook_add(struct db_conn *c, const char *url, const char *secret_sealed,
                          const char *events_array, char **json);
/* Every webhook as a JSON array [{id, url, events, enabled, created_at, disabled_at}]. */
enum db_rc db_webhook_list(struct db_conn *c, char **json);
/* Disable webhook id: *json the row after (DB_NOT_FOUND when there is no enabled one). */
enum db_rc db_webhook_disable(struct db_conn *c, long long id, char **json);

/* At most limit rows of state ("" every state), newest first:
 * [{id, kind, claim_id, class_id, state, attempts, next_attempt_at, last_error, created_at,
 * delivered_at}] (no payload). */
enum db_rc db_outbox_list(struct db_conn *c, const char *state, int limit, char **json);
/* Put dead row id back to pending, due now, its attempts from 0: *json the row before and
 * after ({id, state, attempts}); DB_NOT_FOUND when it is not dead. */
enum db_rc db_outbox_retry(struct db_conn *c, long long id, char **before, char **after);

#endif
