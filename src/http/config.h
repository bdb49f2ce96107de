#ifndef SD_CONFIG_H
#define SD_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

/* Every limit of the daemon in one place; each has a default, a flag and an environment variable
 * (config.c's table), and --help shows them all. */
struct sd_config {
    const char *listen; /* "127.0.0.1:8080" or "[::1]:8080" */
    const char *db;     /* libpq connection string */
    const char *token_key_file;
    const char *policies; /* folder of *.policy files */
    long threads;         /* worker threads, each with its own database connection */
    long max_connections;
    long max_connections_per_ip;
    long connection_timeout_s; /* idle time before a connection is closed */
    long max_body;             /* bytes */
    long max_upload;           /* bytes, for the routes that take uploads (catalogs) */
    long max_url;              /* bytes */
    long max_page_size;        /* items per page of any list */
    long max_json_depth;
    long statement_timeout_ms;
    long lock_timeout_ms;
    long db_connect_timeout_s;
    long db_retry_backoff_ms; /* between reconnection attempts of one worker */
    long shutdown_grace_s;    /* how long SIGTERM waits for requests in flight */
    long review_days;       /* working days an approver has for a submitted claim (承诺时限) */
    long public_rate;       /* requests a minute one address may make to the public routes */
    long public_burst;      /* of them at once (the token bucket's size) */
    long class_accept_days; /* working days an approver has to accept a filed class (承诺时限) */
    long class_completion_days;    /* working days after a class's end to report its completion */
    long class_attendance_percent; /* of a class's hours a trainee attends to pass */
    long review_assign_minutes;    /* a taken claim stays with its approver so long */
    long overdue_metrics_cache_s;  /* /metrics keeps the overdue figures so long */
    long escalate_after_days;      /* working days overdue before an item goes to the supervisor */
    long appeal_days;          /* calendar days after a rejection its owner may appeal (复议) */
    long review_job_max_items; /* claims one bulk review job may hold */
    long review_job_poll_ms;   /* the job worker's wait when nothing waits */
    const char *webhooks;      /* "on" (the delivery worker runs; it posts once a webhook is
                                  enabled) or "off" (another daemon delivers) */
    long webhook_max_attempts; /* a notification still undelivered after so many posts is dead */
    long webhook_backoff_base_ms;    /* the wait after a first failed post, doubled each time */
    long webhook_backoff_cap_ms;     /* the longest wait between two posts of one notification */
    long webhook_connect_timeout_ms; /* to connect to a webhook */
    long webhook_timeout_ms;         /* one post in all, connecting included */
    long webhook_poll_ms;            /* the delivery worker's wait when nothing is due */
    long notice_close_s;             /* between closes of ended notice periods (0: never) */
};

/* Defaults, then environment, then flags.  Returns 0 to go on, 1 after --help/--version (exit 0),
 * -1 on a bad value (message on err). */
int config_load(struct sd_config *c, int argc, char **argv, FILE *err);

/* Print the options with their defaults and environment variables. */
void config_usage(FILE *out);

#endif
