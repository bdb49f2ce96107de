#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "pii.h"
#include "token.h"
#include "version.h"

/* The daemon's settings, token key and policies: set once in main() before any worker starts. */
struct sd_config config;
struct sd_token_key token_key;
struct sd_pii_keys pii_keys;
const struct sr_policy_set *policy_set;

struct option_spec {
    const char *flag; /* long option name */
    const char *env;
    bool is_text;
    size_t offset;
    long min, max;
    const char *help;
};

#define TEXT(f, e, member, h)                                                                      \
    {                                                                                              \
        f, e, true, offsetof(struct sd_config, member), 0, 0, h                                    \
    }
#define NUM(f, e, member, lo, hi, h)                                                               \
    {                                                                                              \
        f, e, false, offsetof(struct sd_config, member), lo, hi, h                                 \
    }

static const struct option_spec specs[] = {
    TEXT("listen", "SUBSIDYD_LISTEN", listen, "address:port to listen on"),
    TEXT("db", "SUBSIDYD_DB", db, "libpq connection string"),
    TEXT("token-key-file", "SUBSIDYD_TOKEN_KEY_FILE", token_key_file,
         "file with the 32-byte token hashing key in hex (or set SUBSIDYD_TOKEN_KEY)"),
    TEXT("policies", "SUBSIDYD_POLICIES", policies, "folder of the policy files (*.policy)"),
    NUM("threads", "SUBSIDYD_THREADS", threads, 1, 256,
        "requests using the database at once, one connection each"),
    NUM("max-connections", "SUBSIDYD_MAX_CONNECTIONS", max_connections, 1, 100000,
        "open HTTP connections in all"),
    NUM("max-connections-per-ip", "SUBSIDYD_MAX_CONNECTIONS_PER_IP", max_connections_per_ip, 1,
        100000, "open HTTP connections from one address"),
    NUM("connection-timeout", "SUBSIDYD_CONNECTION_TIMEOUT", connection_timeout_s, 1, 3600,
        "seconds of inactivity before a connection is closed"),
    NUM("max-body", "SUBSIDYD_MAX_BODY", max_body, 256, 16 << 20, "request body cap in bytes"),
    NUM("max-upload", "SUBSIDYD_MAX_UPLOAD", max_upload, 1024, 64 << 20,
        "body cap in bytes of upload routes (catalogs)"),
    NUM("max-url", "SUBSIDYD_MAX_URL", max_url, 64, 16384, "request URL cap in bytes"),
    NUM("max-page-size", "SUBSIDYD_MAX_PAGE_SIZE", max_page_size, 1, 10000,
        "largest page any list returns"),
    NUM("max-json-depth", "SUBSIDYD_MAX_JSON_DEPTH", max_json_depth, 2, 512,
        "deepest JSON nesting accepted"),
    NUM("statement-timeout", "SUBSIDYD_STATEMENT_TIMEOUT", statement_timeout_ms, 1, 600000,
        "PostgreSQL statement_timeout in ms"),
    NUM("lock-timeout", "SUBSIDYD_LOCK_TIMEOUT", lock_timeout_ms, 1, 600000,
        "PostgreSQL lock_timeout in ms"),
    NUM("db-connect-timeout", "SUBSIDYD_DB_CONNECT_TIMEOUT", db_connect_timeout_s, 1, 60,
        "seconds to wait for a database connection"),
    NUM("db-retry-backoff", "SUBSIDYD_DB_RETRY_BACKOFF", db_retry_backoff_ms, 10, 60000,
        "ms between reconnection attempts of a worker"),
    NUM("shutdown-grace", "SUBSIDYD_SHUTDOWN_GRACE", shutdown_grace_s, 0, 600,
        "seconds SIGTERM waits for requests in flight"),
    NUM("review-days", "SUBSIDYD_REVIEW_DAYS", review_days, 1, 250,
        "working days allowed for the review of a submitted claim"),
    NUM("public-rate", "SUBSIDYD_PUBLIC_RATE", public_rate, 1, 1000000,
        "requests a minute from one address to the public lists (then 429)"),
    NUM("public-burst", "SUBSIDYD_PUBLIC_BURST", public_burst, 1, 1000000,
        "requests at once from one address to the public lists"),
    NUM("class-accept-days", "SUBSIDYD_CLASS_ACCEPT_DAYS", class_accept_days, 1, 250,
        "working days allowed for accepting a filed class"),
    NUM("class-completion-days", "SUBSIDYD_CLASS_COMPLETION_DAYS", class_completion_days, 1, 250,
        "working days after a class's end date allowed for reporting its completion"),
    NUM("class-attendance-percent", "SUBSIDYD_CLASS_ATTENDANCE_PERCENT", class_attendance_percent,
        1, 100, "percent of a class's hours a trainee must attend to pass"),
    NUM("review-assign-minutes", "SUBSIDYD_REVIEW_ASSIGN_MINUTES", review_assign_minutes, 1, 10080,
        "minutes a claim taken from the queue stays with the approver who took it"),
    NUM("overdue-metrics-cache", "SUBSIDYD_OVERDUE_METRICS_CACHE", overdue_metrics_cache_s, 0, 3600,
        "seconds /metrics keeps its overdue figures before asking the database again"),
    NUM("escalate-after-days", "SUBSIDYD_ESCALATE_AFTER_DAYS", escalate_after_days, 1, 60,
        "working days overdue after which an item is escalated to its region's supervisor"),
    NUM("appeal-days", "SUBSIDYD_APPEAL_DAYS", appeal_days, 1, 365,
        "calendar days after a rejection within which its owner may appeal it (复议)"),
    NUM("review-job-max-items", "SUBSIDYD_REVIEW_JOB_MAX_ITEMS", review_job_max_items, 1, 1000000,
        "claims one bulk review job may hold (POST /v1/review/jobs; more: 422)"),
    NUM("review-job-poll", "SUBSIDYD_REVIEW_JOB_POLL", review_job_poll_ms, 10, 60000,
        "ms the review job worker waits before looking again when no item waits"),
    TEXT("webhooks", "SUBSIDYD_WEBHOOKS", webhooks,
         "on|off: deliver notifications to the enabled webhooks (on: once one is enabled)"),
    NUM("webhook-max-attempts", "SUBSIDYD_WEBHOOK_MAX_ATTEMPTS", webhook_max_attempts, 1, 100,
        "posts of one notification before it is dead-lettered"),
    NUM("webhook-backoff-base", "SUBSIDYD_WEBHOOK_BACKOFF_BASE", webhook_backoff_base_ms, 10,
        3600000, "ms before the second post of a notification, doubled after each failure"),
    NUM("webhook-backoff-cap", "SUBSIDYD_WEBHOOK_BACKOFF_CAP", webhook_backoff_cap_ms, 10, 86400000,
        "ms at most between two posts of one notification"),
    NUM("webhook-connect-timeout", "SUBSIDYD_WEBHOOK_CONNECT_TIMEOUT", webhook_connect_timeout_ms,
        10, 60000, "ms to connect to a webhook"),
    NUM("webhook-timeout", "SUBSIDYD_WEBHOOK_TIMEOUT", webhook_timeout_ms, 10, 120000,
        "ms one post may take in all (then it failed and is retried)"),
    NUM("webhook-poll", "SUBSIDYD_WEBHOOK_POLL", webhook_poll_ms, 10, 60000,
        "ms the delivery worker waits before looking again when nothing is due"),
    NUM("notice-close-every", "SUBSIDYD_NOTICE_CLOSE_EVERY", notice_close_s, 0, 86400,
        "seconds between the daemon's closes of ended notice periods (0: never)"),
};
#define NSPECS (sizeof specs / sizeof specs[0])

static void defaults(struct sd_config *c)
{
    *c = (struct sd_config){
        .listen = "127.0.0.1:8080",
        .db = "dbname=subsidy",
        .token_key_file = NULL,
        .policies = SD_POLICY_DIR,
        .threads = 8,
        .max_connections = 1024,
        .max_connections_per_ip = 32,
        .connection_timeout_s = 15,
        .max_body = 64 * 1024,
        .max_upload = 2 * 1024 * 1024,
        .max_url = 2048,
        .max_page_size = 200,
        .max_json_depth = 32,
        .statement_timeout_ms = 5000,
        .lock_timeout_ms = 2000,
        .db_connect_timeout_s = 3,
        .db_retry_backoff_ms = 250,
        .shutdown_grace_s = 20,
        .review_days = 20,
        .public_rate = 60,
        .public_burst = 20,
        .class_accept_days = 5,
        .class_completion_days = 10,
        .class_attendance_percent = 80,
        .review_assign_minutes = 120,
        .overdue_metrics_cache_s = 5,
        .escalate_after_days = 3,
        .appeal_days = 60, /* 行政复议法第二十条: sixty days from knowing of the decision */
        .review_job_max_items = 20000,
        .review_job_poll_ms = 500,
        .webhooks = "on",
        .webhook_max_attempts = 8,
        .webhook_backoff_base_ms = 1000,   /* 1 s, 2 s, 4 s ... */
        .webhook_backoff_cap_ms = 3600000, /* an hour */
        .webhook_connect_timeout_ms = 2000,
        .webhook_timeout_ms = 5000,
        .webhook_poll_ms = 500,
        .notice_close_s = 60,
    };
}

static bool set(struct sd_config *c, const struct option_spec *s, const char *value, FILE *err,
                const char *origin)
{
    char *base = (char *)c + s->offset;
    if (s->is_text) {
        *(const char **)base = value;
        return true;
    }
    char *end = NULL;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (errno || end == value || *end || v < s->min || v > s->max) {
        fprintf(err, "%s %s: expected a whole number from %ld to %ld, got \"%s\"\n", origin,
                s->flag, s->min, s->max, value);
        return false;
    }
    *(long *)base = v;
    return true;
}

void config_usage(FILE *out)
{
    struct sd_config d;
    defaults(&d);
    fprintf(out, "Usage: subsidyd [OPTION]...\n"
                 "The vocational-training subsidy service.  Every option can also be set by its\n"
                 "environment variable; flags win.\n\n");
    for (size_t i = 0; i < NSPECS; i++) {
        const struct option_spec *s = &specs[i];
        const char *base = (const char *)&d + s->offset;
        char def[64];
        if (s->is_text)
            snprintf(def, sizeof def, "%s",
                     *(const char *const *)base ? *(const char *const *)base : "(none)");
        else
            snprintf(def, sizeof def, "%ld", *(const long *)base);
        fprintf(out, "  --%-24s %s\n  %-26s default %s; env %s\n", s->flag, s->help, "", def,
                s->env);
    }
    fprintf(out, "  --%-24s %s\n  --%-24s %s\n", "help", "show this and exit", "version",
            "show the version and exit");
}

int config_load(struct sd_config *c, int argc, char **argv, FILE *err)
{
    defaults(c);
    for (size_t i = 0; i < NSPECS; i++) {
        const char *v = getenv(specs[i].env);
        if (v && *v && !set(c, &specs[i], v, err, specs[i].env))
            return -1;
    }
    struct option longopts[NSPECS + 3];
    for (size_t i = 0; i < NSPECS; i++)
        longopts[i] = (struct option){specs[i].flag, required_argument, NULL, (int)i};
    longopts[NSPECS] = (struct option){"help", no_argument, NULL, 'h'};
    longopts[NSPECS + 1] = (struct option){"version", no_argument, NULL, 'V'};
    longopts[NSPECS + 2] = (struct option){0};
    optind = 1;
    int opt;
    while ((opt = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
        if (opt == 'h') {
            config_usage(stdout);
            return 1;
        }
        if (opt == 'V') {
            printf("subsidyd %s (%s)\n", SD_VERSION, SD_BUILD);
            return 1;
        }
        if (opt < 0 || (size_t)opt >= NSPECS) {
            config_usage(err);
            return -1;
        }
        if (!set(c, &specs[opt], optarg, err, "--"))
            return -1;
    }
    if (optind < argc) {
        fprintf(err, "unexpected argument \"%s\"\n", argv[optind]);
        return -1;
    }
    if (strcmp(c->webhooks, "on") != 0 && strcmp(c->webhooks, "off") != 0) {
        fprintf(err, "--webhooks: expected on or off, got \"%s\"\n", c->webhooks);
        return -1;
    }
    return 0;
}
