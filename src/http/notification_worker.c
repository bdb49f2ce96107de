/* The daemon's notification delivery worker (http.h): one thread on a connection of its own,
 * started with the server unless --webhooks off, posting the due rows of the notification outbox
 * (flow_notification_step) one at a time, never on a request's thread or connection, so a slow
 * or dead webhook never delays a reply.  A stop is seen between two rows; a kill -9 in the
 * middle of a post leaves the row leased, and it is posted again when the lease ends. */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "http.h"
#include "log.h"
#include "notification.h"

static atomic_bool worker_stop;
static pthread_t worker_thread;
static bool worker_running;

static void *worker(void *arg)
{
    (void)arg;
    const struct notification_worker w = {
        .pii = &pii_keys,
        .post = webhook_post,
        .post_timeout_ms = config.webhook_timeout_ms,
        .max_attempts = (int)config.webhook_max_attempts,
        .backoff_base_ms = config.webhook_backoff_base_ms,
        .backoff_cap_ms = config.webhook_backoff_cap_ms,
    };
    while (!atomic_load(&worker_stop)) {
        struct db_conn *db = db_thread_conn();
        bool worked = false;
        enum db_rc rc = db ? flow_notification_step(&w, db, &worked) : DB_UNAVAILABLE;
        if (rc == DB_OK && worked)
            continue;
        if (rc != DB_OK && rc != DB_UNAVAILABLE)
            log_warn("notification not delivered; trying again",
                     json_pack("{s:i}", "outcome", (int)rc));
        worker_pause_ms(&worker_stop, rc == DB_OK ? config.webhook_poll_ms : 1000);
    }
    db_thread_close();
    return NULL;
}

bool notification_worker_start(void)
{
    if (strcmp(config.webhooks, "off") == 0)
        return true;
    atomic_store(&worker_stop, false);
    worker_running = pthread_create(&worker_thread, NULL, worker, NULL) == 0;
    return worker_running;
}

void notification_worker_stop(void)
{
    atomic_store(&worker_stop, true);
    if (worker_running)
        pthread_join(worker_thread, NULL);
    worker_running = false;
}
