/* Request, latency and database counters in Prometheus text format. */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

#define MAX_ROUTES 128
static const unsigned statuses[] = {200, 201, 204, 400, 401, 403, 404, 405, 409,
                                    413, 414, 415, 422, 429, 500, 503, 0 /* other */};
#define NSTATUS (sizeof statuses / sizeof statuses[0])
static const double bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
#define NBOUNDS (sizeof bounds / sizeof bounds[0])

static _Atomic unsigned long long requests[MAX_ROUTES + 1][NSTATUS];
static _Atomic unsigned long long latency_buckets[MAX_ROUTES + 1][NBOUNDS + 1];
static _Atomic unsigned long long latency_sum_us[MAX_ROUTES + 1];

struct MHD_Daemon *metrics_daemon;

static size_t status_slot(unsigned status)
{
    for (size_t i = 0; i + 1 < NSTATUS; i++)
        if (statuses[i] == status)
            return i;
    return NSTATUS - 1;
}

void metrics_observe(size_t route, unsigned status, long long latency_ns)
{
    if (route > MAX_ROUTES)
        route = MAX_ROUTES;
    atomic_fetch_add_explicit(&requests[route][status_slot(status)], 1, memory_order_relaxed);
    double s = (double)latency_ns / 1e9;
    size_t b = 0;
    while (b < NBOUNDS && s > bounds[b])
        b++;
    atomic_fetch_add_explicit(&latency_buckets[route][b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&latency_sum_us[route], (unsigned long long)(latency_ns / 1000),
                              memory_order_relaxed);
}

struct buf {
    char *p;
    size_t len, cap;
};

static void add(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct buf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            return;
        if (b->p && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap ? b->cap * 2 : 8192) + (size_t)n;
        char *p = realloc(b->p, cap);
        if (!p)
            return;
        b->p = p, b->cap = cap;
    }
}

static const char *route_label(size_t i, char *buf, size_t len)
{
    if (i >= routes_count)
        return "unmatched";
    snprintf(buf, len, "%s %s", routes[i].method, routes[i].pattern);
    return buf;
}

char *metrics_render(struct MHD_Daemon *d, size_t *len)
{
    struct buf b = {0};
    char label[160];
    size_t nroutes = routes_count < MAX_ROUTES ? routes_count : MAX_ROUTES;
    add(&b, "# HELP subsidyd_http_requests_total HTTP requests by route and status.\n"
            "# TYPE subsidyd_http_requests_total counter\n");
    for (size_t i = 0; i <= nroutes; i++) {
        size_t ri = i == nroutes ? MAX_ROUTES : i;
        for (size_t s = 0; s < NSTATUS; s++) {
            unsigned long long n = atomic_load_explicit(&requests[ri][s], memory_order_relaxed);
            if (!n)
                continue;
            char st[8];
            snprintf(st, sizeof st, s + 1 < NSTATUS ? "%u" : "other", statuses[s]);
            add(&b, "subsidyd_http_requests_total{route=\"%s\",status=\"%s\"} %llu\n",
                route_label(i == nroutes ? routes_count : i, label, sizeof label), st, n);
        }
    }
    add(&b, "# HELP subsidyd_http_request_duration_seconds Time from first byte to reply.\n"
            "# TYPE subsidyd_http_request_duration_seconds histogram\n");
    for (size_t i = 0; i <= nroutes; i++) {
        size_t ri = i == nroutes ? MAX_ROUTES : i;
        unsigned long long cum = 0;
        const char *name = route_label(i == nroutes ? routes_count : i, label, sizeof label);
        for (size_t k = 0; k <= NBOUNDS; k++) {
            cum += atomic_load_explicit(&latency_buckets[ri][k], memory_order_relaxed);
            if (k < NBOUNDS)
                add(&b,
                    "subsidyd_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                    name, bounds[k], cum);
            else
                add(&b,
                    "subsidyd_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} "
                    "%llu\n",
                    name, cum);
        }
        add(&b, "subsidyd_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", name,
            (double)atomic_load_explicit(&latency_sum_us[ri], memory_order_relaxed) / 1e6);
        add(&b, "subsidyd_http_request_duration_seconds_count{route=\"%s\"} %llu\n", name, cum);
    }
    struct db_counters dc;
    db_counters_read(&dc);
    add(&b,
        "# HELP subsidyd_db_connections Database connections open now (one per worker).\n"
        "# TYPE subsidyd_db_connections gauge\nsubsidyd_db_connections %llu\n"
        "# HELP subsidyd_db_connects_total Successful database (re)connections.\n"
        "# TYPE subsidyd_db_connects_total counter\nsubsidyd_db_connects_total %llu\n"
        "# HELP subsidyd_db_connect_failures_total Failed database connection attempts.\n"
        "# TYPE subsidyd_db_connect_failures_total counter\n"
        "subsidyd_db_connect_failures_total %llu\n"
        "# HELP subsidyd_db_txn_retries_total Transactions run again after 40001/40P01.\n"
        "# TYPE subsidyd_db_txn_retries_total counter\nsubsidyd_db_txn_retries_total %llu\n"
        "# HELP subsidyd_db_txn_exhausted_total Transactions that ran out of retries.\n"
        "# TYPE subsidyd_db_txn_exhausted_total counter\nsubsidyd_db_txn_exhausted_total %llu\n"
        "# HELP subsidyd_db_timeouts_total Statement or lock timeouts.\n"
        "# TYPE subsidyd_db_timeouts_total counter\nsubsidyd_db_timeouts_total %llu\n"
        "# HELP subsidyd_db_errors_total Unexpected database errors.\n"
        "# TYPE subsidyd_db_errors_total counter\nsubsidyd_db_errors_total %llu\n"
        "# HELP subsidyd_db_round_trips_total Waits for the database's answer (one statement or one"
        " pipeline).\n"
        "# TYPE subsidyd_db_round_trips_total counter\nsubsidyd_db_round_trips_total %llu\n",
        dc.open, dc.connects, dc.connect_fails, dc.txn_retries, dc.txn_exhausted, dc.timeouts,
        dc.errors, dc.round_trips);
    const union MHD_DaemonInfo *info =
        d ? MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS) : NULL;
    add(&b,
        "# HELP subsidyd_http_connections HTTP connections open now.\n"
        "# TYPE subsidyd_http_connections gauge\nsubsidyd_http_connections %u\n"
        "# HELP subsidyd_http_requests_in_flight Requests being processed now.\n"
        "# TYPE subsidyd_http_requests_in_flight gauge\nsubsidyd_http_requests_in_flight %lu\n",
        info ? info->num_connections : 0u, server_in_flight());
    *len = b.len;
    return b.p;
}
