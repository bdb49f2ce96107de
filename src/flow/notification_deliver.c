/* The delivery of one notification (notification.h): taken with a lease in one statement,
 * posted to every webhook still to have it, and settled in another statement.  A crash between
 * the two leaves the lease to expire: the row is posted again with the same event id. */
#include "notification.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "notification_db.h"

long notification_backoff_ms(const struct notification_worker *w, int attempts)
{
    long wait = w->backoff_base_ms;
    for (int i = 1; i < attempts && wait < w->backoff_cap_ms; i++)
        wait *= 2;
    return wait < w->backoff_cap_ms ? wait : w->backoff_cap_ms;
}

enum db_rc flow_notification_step(const struct notification_worker *w, struct db_conn *db,
                                  bool *worked)
{
    struct db_notification n;
    *worked = false;
    enum db_rc rc = db_notification_take(db, w->post_timeout_ms, &n);
    if (rc == DB_NOT_FOUND)
        return DB_OK;
    if (rc != DB_OK)
        return rc;
    *worked = true;
    json_t *hooks = json_loads(n.webhooks_json, 0, NULL);
    char delivered[512] = "", error[300] = "";
    size_t used = 0, i, left = 0;
    json_t *h;
    json_array_foreach(hooks, i, h)
    {
        long long id = json_integer_value(json_object_get(h, "id"));
        const char *url = json_string_value(json_object_get(h, "url"));
        char secret[SD_PII_PLAIN_MAX + 1], err[200] = "";
        long status = 0;
        if (!url || !sd_pii_open(w->pii, json_string_value(json_object_get(h, "secret_sealed")),
                                 secret, sizeof secret))
            snprintf(err, sizeof err, "webhook %lld: its secret does not open with this key", id);
        else
            status = w->post(w->post_cls, url, secret, n.id, n.body, err, sizeof err);
        sodium_memzero(secret, sizeof secret);
        if (status >= 200 && status < 300) {
            int k =
                snprintf(delivered + used, sizeof delivered - used, "%s%lld", used ? "," : "", id);
            if (k > 0 && (size_t)k < sizeof delivered - used)
                used += (size_t)k;
            continue;
        }
        left++;
        if (status)
            snprintf(error, sizeof error, "webhook %lld: HTTP %ld", id, status);
        else
            snprintf(error, sizeof error, "webhook %lld: %s", id, err);
    }
    json_decref(hooks);
    char state[16];
    rc = db_notification_settle(db, n.id, delivered, left == 0, w->max_attempts,
                                notification_backoff_ms(w, n.attempts), error, state);
    db_notification_free(&n);
    return rc == DB_NOT_FOUND ? DB_OK : rc; /* settled meanwhile by another worker */
}
