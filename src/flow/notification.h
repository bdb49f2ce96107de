#ifndef SD_FLOW_NOTIFICATION_H
#define SD_FLOW_NOTIFICATION_H

/* The delivery of the notification outbox (notification_deliver.c; sql/0035): one due row at a
 * time, posted to each webhook that wants it by a sender the caller gives (the daemon's posts
 * with libcurl, src/http/webhook_post.c), then settled with the retry policy below. */

#include <stdbool.h>
#include <stddef.h>

#include "db.h"
#include "pii.h"

/* Post body (the event id event_id) to url signed with secret: the HTTP status, or 0 when no
 * answer came (the reason in err). */
typedef long (*notification_post_fn)(void *cls, const char *url, const char *secret,
                                     long long event_id, const char *body, char *err,
                                     size_t errlen);

struct notification_worker {
    const struct sd_pii_keys *pii; /* opens the webhooks' sealed secrets */
    notification_post_fn post;
    void *post_cls;
    long post_timeout_ms; /* the longest one post takes (the row's lease counts on it) */
    int max_attempts;     /* a row still undelivered after so many is dead */
    long backoff_base_ms; /* the wait after the first failed attempt, doubled each time */
    long backoff_cap_ms;  /* and never longer than this */
};

/* The wait after failed attempt number attempts (1 the first): base × 2^(attempts-1), at most
 * the cap. */
long notification_backoff_ms(const struct notification_worker *w, int attempts);

/* Deliver the next due row, if any: *worked whether there was one.  No transaction is open
 * while posting. */
enum db_rc flow_notification_step(const struct notification_worker *w, struct db_conn *db,
                                  bool *worked);

#endif
