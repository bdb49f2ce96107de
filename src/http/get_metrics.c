/* GET /metrics: Prometheus text exposition, with the overdue items (承诺时限) by region and kind
 * and the age of the oldest, and the notification outbox's rows by state, read from the
 * database at most once per --overdue-metrics-cache seconds (a scraper every second must not
 * put a query on every scrape). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "claim_json.h"
#include "handlers.h"
#include "notification_db.h"
#include "review_db.h"
#include "sr_ids.h"

static pthread_mutex_t overdue_lock = PTHREAD_MUTEX_INITIALIZER;
static char *overdue_text; /* the figures as last read, under overdue_lock */
static struct timespec overdue_read_at;

static char *overdue_render(const json_t *rows, const struct db_notification_counts *n)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    fputs("# HELP subsidyd_overdue_items Items waiting for a decision past their due date"
          " (承诺时限).\n# TYPE subsidyd_overdue_items gauge\n",
          f);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
        fprintf(f, "subsidyd_overdue_items{region=\"%s\",kind=\"%s\"} %lld\n",
                json_string_value(json_object_get(row, "region")),
                json_string_value(json_object_get(row, "kind")),
                (long long)json_integer_value(json_object_get(row, "overdue")));
    fputs("# HELP subsidyd_overdue_oldest_days Days since the due date of the oldest overdue"
          " item.\n# TYPE subsidyd_overdue_oldest_days gauge\n",
          f);
    json_array_foreach(rows, i, row)
        fprintf(f, "subsidyd_overdue_oldest_days{region=\"%s\",kind=\"%s\"} %lld\n",
                json_string_value(json_object_get(row, "region")),
                json_string_value(json_object_get(row, "kind")),
                (long long)json_integer_value(json_object_get(row, "oldest_days")));
    fprintf(f,
            "# HELP subsidyd_notifications Rows of the notification outbox by state (dead: gave"
            " up after --webhook-max-attempts).\n# TYPE subsidyd_notifications gauge\n"
            "subsidyd_notifications{state=\"pending\"} %lld\n"
            "subsidyd_notifications{state=\"delivered\"} %lld\n"
            "subsidyd_notifications{state=\"dead\"} %lld\n",
            n->pending, n->delivered, n->dead);
    return fclose(f) == 0 ? text : (free(text), NULL);
}

/* The overdue figures' text (caller frees), fresh or cached; NULL when the database cannot say
 * and nothing was read before. */
static char *overdue_figures(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    pthread_mutex_lock(&overdue_lock);
    bool fresh =
        overdue_text && now.tv_sec - overdue_read_at.tv_sec < config.overdue_metrics_cache_s;
    char *text = fresh ? strdup(overdue_text) : NULL;
    pthread_mutex_unlock(&overdue_lock);
    if (fresh)
        return text;
    struct db_conn *db = db_thread_conn();
    char today[SR_DATE_STRLEN];
    sr_day_format(cj_today(), today);
    json_t *rows = NULL;
    struct db_notification_counts n;
    if (db && db_overdue_figures(db, today, &rows) == DB_OK &&
        db_notification_counts(db, &n) == DB_OK)
        text = overdue_render(rows, &n);
    json_decref(rows);
    pthread_mutex_lock(&overdue_lock);
    if (text) {
        free(overdue_text);
        overdue_text = strdup(text);
        overdue_read_at = now;
    } else if (overdue_text) { /* the last figures, rather than none */
        text = strdup(overdue_text);
    }
    pthread_mutex_unlock(&overdue_lock);
    return text;
}

void get_metrics(struct req *r)
{
    size_t len = 0;
    char *text = metrics_render(metrics_daemon, &len);
    if (!text) {
        reply_problem(r, SD_E_INTERNAL, NULL);
        return;
    }
    char *overdue = overdue_figures();
    if (overdue) {
        size_t n = strlen(overdue);
        char *both = realloc(text, len + n + 1);
        if (both) {
            memcpy(both + len, overdue, n + 1);
            text = both;
            len += n;
        }
        free(overdue);
    }
    reply_text(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
}
