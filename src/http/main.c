/* subsidyd: check the configuration and the schema, serve until SIGTERM, drain, exit 0. */
#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "http.h"
#include "log.h"
#include "ops.h"
#include "version.h"

/* Tell systemd (Type=notify) how we are; a no-op without NOTIFY_SOCKET. */
static void notify(const char *state)
{
    const char *path = getenv("NOTIFY_SOCKET");
    if (!path || (path[0] != '/' && path[0] != '@') || strlen(path) >= 108)
        return;
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    memcpy(sa.sun_path, path, strlen(path));
    if (sa.sun_path[0] == '@')
        sa.sun_path[0] = '\0';
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path));
    sendto(fd, state, strlen(state), 0, (struct sockaddr *)&sa, len);
    close(fd);
}

/* Wait for the database (up to wait_s) and refuse to run on a schema this build does not
 * expect. */
static bool schema_ready(int wait_s)
{
    char msg[512];
    long long deadline = mono_ns() + (long long)wait_s * 1000000000LL;
    for (;;) {
        struct db_conn *db = db_thread_conn();
        if (db) {
            int current = 0;
            bool ok = db_conn_schema_check(db, &current, msg, sizeof msg);
            db_thread_close();
            if (!ok) {
                log_warn("refusing to start", json_pack("{s:s}", "reason", msg));
                return false;
            }
            log_info("schema current", json_pack("{s:i}", "schema_version", current));
            return true;
        }
        if (mono_ns() > deadline) {
            log_warn("refusing to start", json_pack("{s:s}", "reason", "database unreachable"));
            return false;
        }
        sleep(1);
    }
}

/* The audit rows committed since the last pass are linked into their chains (sql/0015) every
 * CHAIN_PERIOD_MS, on a connection of this thread's own; a full batch is followed at once by the
 * next.  Other daemons on the database do the same: one of them runs at a time. */
#define CHAIN_PERIOD_MS 150
#define CHAIN_BATCH     5000
static atomic_bool chainer_stop;

static void *chainer(void *arg)
{
    (void)arg;
    while (!atomic_load(&chainer_stop)) {
        struct db_conn *db = db_thread_conn();
        int chained = 0;
        if (db && db_audit_chain(db, CHAIN_BATCH, &chained) == DB_OK && chained == CHAIN_BATCH)
            continue;
        /* unreachable database: try again in a second rather than every period */
        struct timespec ts = {db ? 0 : 1, db ? CHAIN_PERIOD_MS * 1000000L : 0};
        nanosleep(&ts, NULL);
    }
    db_thread_close();
    return NULL;
}

int main(int argc, char **argv)
{
    int rc = config_load(&config, argc, argv, stderr);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    if (sodium_init() < 0)
        return 1;
    json_object_seed(0);
    char err[256];
    if (!sd_token_key_load(&token_key, config.token_key_file, err, sizeof err)) {
        log_warn("refusing to start", json_pack("{s:s}", "reason", err));
        return 2;
    }
    sd_pii_keys_derive(&token_key, &pii_keys);
    struct sr_policy_set *policies = NULL;
    char perr[8192];
    if (sr_policy_set_load_dir(config.policies, &policies, perr, sizeof perr) != 0) {
        log_warn("refusing to start: bad policy files",
                 json_pack("{s:s, s:s}", "folder", config.policies, "errors", perr));
        return 2;
    }
    policy_set = policies;
    log_info("policies loaded", json_pack("{s:s, s:i}", "folder", config.policies, "count",
                                          (int)sr_policy_set_count(policies)));
    struct db_config dbc = {
        .conninfo = config.db,
        .connect_timeout_s = (int)config.db_connect_timeout_s,
        .statement_timeout_ms = (int)config.statement_timeout_ms,
        .lock_timeout_ms = (int)config.lock_timeout_ms,
        .reconnect_backoff_ms = (int)config.db_retry_backoff_ms,
        /* the requests' connections, and those the audit chainer, the review-job worker and
         * the notification worker keep for themselves; a request waits for one no longer than a
         * statement may run */
        .pool_max = (int)config.threads + 3,
        .pool_wait_ms = (int)config.statement_timeout_ms,
    };
    db_configure(&dbc);
    if (!schema_ready(30))
        return 1;

    /* Signals go to the main thread only: block them before any worker starts. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) !=
        CURLE_OK) { /* before any thread: not thread-safe */
        log_warn("refusing to start: the HTTP client (webhooks) does not initialise", NULL);
        return 1;
    }

    log_start();
    struct MHD_Daemon *d = server_start();
    if (!d) {
        log_warn("cannot listen", json_pack("{s:s}", "listen", config.listen));
        return 1;
    }
    pthread_t chain_thread;
    bool chaining = pthread_create(&chain_thread, NULL, chainer, NULL) == 0;
    if (!chaining)
        log_warn("audit chaining not started: subsidyctl audit verify chains the rows", NULL);
    if (!review_worker_start())
        log_warn("review job worker not started: jobs wait for another daemon", NULL);
    if (!notification_worker_start())
        log_warn("notification worker not started: notifications wait for another daemon", NULL);
    log_info("listening",
             json_pack("{s:s, s:s, s:i, s:i}", "listen", config.listen, "version", SD_VERSION,
                       "threads", (int)config.threads, "pid", (int)getpid()));
    notify("READY=1");
    int sig = 0;
    sigwait(&sigs, &sig);
    notify("STOPPING=1");
    log_info("signal received, draining",
             json_pack("{s:i, s:i}", "signal", sig, "grace_s", (int)config.shutdown_grace_s));
    server_stop(d, (int)config.shutdown_grace_s);
    review_worker_stop();
    notification_worker_stop();
    atomic_store(&chainer_stop, true);
    if (chaining)
        pthread_join(chain_thread, NULL);
    sodium_memzero(&token_key, sizeof token_key);
    sodium_memzero(&pii_keys, sizeof pii_keys);
    sr_policy_set_free(policies);
    curl_global_cleanup();
    log_info("stopped", NULL);
    log_stop();
    return 0;
}
