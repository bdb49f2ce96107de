/* The daemon's review job worker (http.h): one thread, started and stopped with the server, on a
 * connection of its own, deciding the waiting items of bulk review jobs one at a time
 * (flow_review_job_step: each in its own transaction), and every --notice-close-every seconds
 * closing the notice periods that ended (notice_close_all: safe beside other daemons and
 * subsidyctl notice close).  A stop is seen between items, so SIGTERM
 * never cuts one; a kill -9 leaves the item being decided uncommitted, and the next start (or
 * another daemon on the database) takes it again. */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "claim.h"
#include "http.h"
#include "log.h"

static atomic_bool worker_stop;
static pthread_t worker_thread;
static bool worker_running;

void worker_pause_ms(atomic_bool *stop, long ms)
{
    for (long slept = 0; slept < ms && !atomic_load(stop); slept += 50) {
        struct timespec ts = {0, (ms - slept < 50 ? ms - slept : 50) * 1000000L};
        nanosleep(&ts, NULL);
    }
}

/* Close the ended notice periods when the time has come (the service's day: Asia/Shanghai). */
static void notice_close_due(time_t *last)
{
    time_t now = time(NULL);
    if (config.notice_close_s <= 0 || now - *last < config.notice_close_s)
        return;
    *last = now;
    struct db_conn *db = db_thread_conn();
    int closed = 0;
    enum db_rc rc = db ? notice_close_all(db, "notice-close", cj_today(), &closed) : DB_UNAVAILABLE;
    if (rc != DB_OK)
        log_warn("notice periods not closed; trying again later",
                 json_pack("{s:i}", "outcome", (int)rc));
    else if (closed > 0)
        log_info("notice periods closed", json_pack("{s:i}", "claims", closed));
}

static void *worker(void *arg)
{
    (void)arg;
    time_t last_close = 0;
    const struct review_job_worker w = {.policies = policy_set,
                                        .pii = &pii_keys,
                                        .review_days = (int)config.review_days,
                                        .assign_minutes = (int)config.review_assign_minutes};
    while (!atomic_load(&worker_stop)) {
        notice_close_due(&last_close);
        struct db_conn *db = db_thread_conn();
        bool worked = false;
        enum db_rc rc = db ? flow_review_job_step(&w, db, &worked) : DB_UNAVAILABLE;
        if (rc == DB_OK && worked)
            continue;
        if (rc != DB_OK && rc != DB_UNAVAILABLE)
            log_warn("review job item not decided; trying again",
                     json_pack("{s:i}", "outcome", (int)rc));
        /* nothing waits, or the database is away: look again a little later */
        worker_pause_ms(&worker_stop, rc == DB_OK ? config.review_job_poll_ms : 1000);
    }
    db_thread_close();
    return NULL;
}

bool review_worker_start(void)
{
    atomic_store(&worker_stop, false);
    worker_running = pthread_create(&worker_thread, NULL, worker, NULL) == 0;
    return worker_running;
}

void review_worker_stop(void)
{
    atomic_store(&worker_stop, true);
    if (worker_running)
        pthread_join(worker_thread, NULL);
    worker_running = false;
}
