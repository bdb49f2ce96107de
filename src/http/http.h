#ifndef SD_HTTP_H
#define SD_HTTP_H

/*
 * The daemon's request context, route table and reply helpers.  A handler gets a struct req
 * whose route, path parameters, principal and parsed body are already checked, and must queue
 * exactly one reply through the reply_* functions.
 */

#include <jansson.h>
#include <microhttpd.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "db.h"
#include "jspec.h"
#include "sd_errors.h"
#include "sd_model.h"
#include "sr_rules.h"
#include "pii.h"
#include "token.h"

struct req;
typedef void (*handler_fn)(struct req *r);

/* How a route authenticates; 0 is "not declared", which the route-table test rejects. */
enum auth_mode {
    AUTH_NONE = 1, /* public: no token is read; no database is touched unless rate_limited */
    AUTH_TOKEN,    /* a bearer token of one of .roles */
};

struct route {
    const char *method;  /* "GET", "POST", "DELETE", ... */
    const char *pattern; /* "/v1/tokens/{id}": a {name} segment matches one path segment */
    handler_fn handler;
    enum auth_mode auth;
    unsigned roles; /* SD_ROLE_* bits allowed when auth == AUTH_TOKEN */
    bool body;      /* takes a JSON object body */
    bool csv;       /* also takes a text/csv body (r->csv, raw text in r->body) */
    bool upload;    /* body cap is config.max_upload rather than config.max_body */
    /* a public (AUTH_NONE) route that reads the database: each address has a token bucket
     * (config.public_rate, public_burst; ratelimit.c), 429 with Retry-After past it */
    bool rate_limited;
};

extern const struct route routes[];
extern const size_t routes_count;

#define REQ_MAX_PARAMS 2
#define REQ_PARAM_LEN  64
#define REQ_ID_LEN     64

struct req {
    struct MHD_Connection *conn;
    const struct route *route; /* NULL until matched */
    const char *method;
    size_t uri_len; /* of the raw request URI, query included */
    bool started;   /* headers seen: id, language, in-flight count set */
    char id[REQ_ID_LEN + 1];
    long long start_ns;
    bool lang_en; /* Accept-Language prefers English */

    char params[REQ_MAX_PARAMS][REQ_PARAM_LEN + 1];
    int nparams;

    char *body; /* bounded by body_max; NUL-terminated once complete */
    size_t body_len, body_cap, body_max;
    bool csv;           /* the body is text/csv */
    bool body_overflow; /* over body_max: read and dropped, then a 413 */
    size_t received;    /* body bytes received, kept or not */
    json_t *json;       /* parsed body, when the route takes one */

    bool authed;
    struct sd_principal who;

    struct jerrors errors; /* field problems, gathered before a problem reply */
    unsigned status;       /* of the queued reply; 0 until then */

    /* The printable page of a stored 2xx reply, for Accept: text/html (reply_stored); NULL:
     * JSON only. */
    char *(*page)(const json_t *body, size_t *len);
    /* A stored 201 or 202 reply's Location: this path, "/" and the reply's "id" (NULL: none). */
    const char *location_prefix;
    bool replayed; /* the reply is a stored one, sent again: Idempotent-Replayed: true */
};

/* The daemon's settings, token key and policies, fixed after start. */
extern struct sd_config config;
extern struct sd_token_key token_key;
extern struct sd_pii_keys pii_keys; /* derived from token_key */
extern const struct sr_policy_set *policy_set;

/* ---- router.c ---- */

enum route_match { ROUTE_FOUND, ROUTE_NO_PATH, ROUTE_NO_METHOD, ROUTE_BAD_PARAM };

/* Find the route for method and path; fills r->route and r->params.  On ROUTE_NO_METHOD, allow
 * gets the allowed methods ("GET, DELETE"). */
enum route_match router_match(struct req *r, const char *method, const char *path, char *allow,
                              size_t allowlen);

/* The index of a route in routes[], or routes_count for "no route". */
size_t route_index(const struct route *rt);

/* ---- reply.c ---- */

/* Queue a JSON reply; takes ownership of body. */
void reply_json(struct req *r, unsigned status, json_t *body);

/* Queue a JSON text kept by the idempotency table; takes text; marks replays with the header
 * Idempotent-Replayed: true. */
void reply_stored(struct req *r, unsigned status, char *text, bool replayed);

/* Queue a reply with no body (204). */
void reply_empty(struct req *r, unsigned status);

/* Queue a text reply (for /metrics). */
void reply_text(struct req *r, unsigned status, const char *content_type, char *text_take,
                size_t len);

/* Queue an application/problem+json reply for code, listing r->field_errors.  detail may be
 * NULL (the title says it all). */
void reply_problem(struct req *r, enum sd_err code, const char *detail);

/* The same with more members (such as "problems"), taken. */
void reply_problem_with(struct req *r, enum sd_err code, const char *detail, json_t *members);
/* 200 with a page as CSV text (taken): text/csv; charset=utf-8, and the key of the next page in
 * a Next-After header when more follow (next_after not NULL). */
void reply_csv(struct req *r, char *text_take, size_t len, const char *next_after);
/* The problem with a Retry-After of seconds. */
void reply_problem_retry(struct req *r, enum sd_err code, long seconds);

/* 405 with Allow. */
void reply_not_allowed(struct req *r, const char *allow);

/* The problem for a failed database operation: 503 with Retry-After, or 500. */
void reply_db(struct req *r, enum db_rc rc);

/* Add one field error; zh/en details may be NULL to use the code's title alone. */
void req_field_error(struct req *r, const char *field, enum sd_err code, const char *zh,
                     const char *en);

/* Reply 400 (any unknown field) or 422 with every gathered field error; false when none. */
bool reply_field_errors(struct req *r, enum sd_err whole_code);
/* The same, with members (taken) added to the problem: the rule module's "problems" beside the
 * field errors, so that one reply names everything to fix. */
bool reply_field_errors_with(struct req *r, enum sd_err whole_code, json_t *members);

/* ---- request.c: the request's body and query through the field tables of jspec.h ---- */

/* Check the body object; every problem goes to r->errors.  True when there was none. */
bool jspec_body(struct req *r, const json_t *obj, const struct jfield *spec, size_t n);

/* The same for the query string. */
bool jspec_query(struct req *r, const struct jfield *spec, size_t n);

/* ---- auth.c ---- */

/* Authenticate r for its route: true when the caller may go on; otherwise a reply is queued. */
bool auth_check(struct req *r);
/* Take one request of the client's allowance on a rate-limited route (ratelimit.c): 0 when
 * taken, else the seconds until the next would be (for Retry-After). */
long ratelimit_take(struct req *r);

/* ---- metrics.c ---- */

void metrics_observe(size_t route, unsigned status, long long latency_ns);
/* Prometheus text exposition of everything counted; caller frees. */
char *metrics_render(struct MHD_Daemon *d, size_t *len);
extern struct MHD_Daemon *metrics_daemon;

/* ---- server.c ---- */

/* Start serving per config; NULL on failure (logged). */
struct MHD_Daemon *server_start(void);

/* Stop accepting, wait up to grace_s for requests in flight, then stop. */
void server_stop(struct MHD_Daemon *d, int grace_s);

/* ---- review_worker.c: the thread deciding bulk review jobs' items ---- */

/* Start it (false when the thread could not be made); stop it between two items and wait. */
bool review_worker_start(void);
void review_worker_stop(void);
/* Sleep ms in steps of 50 ms, waking early once *stop is set (the background workers' wait). */
void worker_pause_ms(atomic_bool *stop, long ms);

/* ---- notification_worker.c, webhook_post.c: the delivery of the notification outbox ---- */

/* Start it unless --webhooks off (false when the thread could not be made); stop it between
 * two notifications and wait. */
bool notification_worker_start(void);
void notification_worker_stop(void);
/* POST body to url signed with secret (notification_post_fn): the status, 0 with err when no
 * answer came in --webhook-timeout. */
long webhook_post(void *cls, const char *url, const char *secret, long long event_id,
                  const char *body, char *err, size_t errlen);
/* hex (65 bytes) = HMAC-SHA256 of "timestamp.body" keyed with secret, in lower-case hex. */
void webhook_sign(const char *secret, const char *timestamp, const char *body, char hex[65]);

/* True once SIGTERM has been received: replies then close their connection. */
bool server_stopping(void);

/* Requests started and not yet completed. */
unsigned long server_in_flight(void);

#endif
