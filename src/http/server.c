/* The libmicrohttpd side: one request context per request, bounded body buffering, the checks
 * every route shares (404/405/413/414/415, auth), dispatch, and the access log on completion. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "http.h"
#include "log.h"

static _Atomic unsigned long in_flight;
static _Atomic int stopping;

bool server_stopping(void)
{
    return atomic_load(&stopping) != 0;
}

unsigned long server_in_flight(void)
{
    return atomic_load(&in_flight);
}

static bool request_id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > REQ_ID_LEN)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    }
    return true;
}

/* Called by MHD with the raw request URI, before headers: the request context starts here, so
 * that the URI's full length (query included) is known. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct req *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->conn = conn;
    r->start_ns = mono_ns();
    r->uri_len = strlen(uri);
    return r;
}

/* Headers are in: the request id and the language. */
static void req_start(struct req *r, const char *method)
{
    r->started = true;
    r->method = method;
    const char *id = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Request-Id");
    if (id && request_id_ok(id)) {
        snprintf(r->id, sizeof r->id, "%s", id);
    } else {
        /* unique, not secret: a random per-thread prefix and a counter, so no system call per
         * request */
        static _Thread_local unsigned long long prefix, counter;
        if (!prefix)
            randombytes_buf(&prefix, sizeof prefix);
        snprintf(r->id, sizeof r->id, "%016llx%016llx", prefix, ++counter);
    }
    const char *lang =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
    r->lang_en = lang && strncasecmp(lang, "en", 2) == 0;
    r->errors.lang_en = r->lang_en;
    atomic_fetch_add(&in_flight, 1);
}

static void req_free(struct req *r)
{
    json_decref(r->json);
    jerr_clear(&r->errors);
    free(r->body);
    if (r->started)
        atomic_fetch_sub(&in_flight, 1);
    free(r);
}

static bool is_type(const char *ct, const char *type)
{
    size_t n = strcspn(ct, ";");
    while (n > 0 && ct[n - 1] == ' ')
        n--;
    if (n != strlen(type) || strncasecmp(ct, type, n) != 0)
        return false;
    const char *p = strchr(ct, ';');
    if (!p)
        return true;
    while (*++p == ' ')
        ;
    return strncasecmp(p, "charset=utf-8", 13) == 0 && p[13] == '\0';
}

/* How much of a body over its cap is read (and dropped) before the 413 goes out anyway, and
 * after an answer; beyond it the connection is closed. */
static size_t drain_max(void)
{
    return 4 * (size_t)config.max_upload;
}

/* The checks of the first call, made once headers are in.  false when a reply is queued. */
static bool begin(struct req *r, const char *url, const char *version)
{
    /* RFC 9112 3.2: an HTTP/1.1 request without Host is a 400; HTTP/1.0 may omit it */
    if (strcmp(version, MHD_HTTP_VERSION_1_0) != 0 &&
        !MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST)) {
        reply_problem(r, SD_E_HOST_REQUIRED, NULL);
        return false;
    }
    if (r->uri_len > (size_t)config.max_url) {
        reply_problem(r, SD_E_URI_TOO_LONG, NULL);
        return false;
    }
    char allow[128];
    switch (router_match(r, r->method, url, allow, sizeof allow)) {
    case ROUTE_FOUND:
        break;
    case ROUTE_NO_METHOD:
        reply_not_allowed(r, allow);
        return false;
    default:
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return false;
    }
    const char *cl =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    const char *te =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    bool has_body = (cl && strcmp(cl, "0") != 0) || te;
    r->body_max = (size_t)(r->route->upload ? config.max_upload : config.max_body);
    unsigned long long declared = cl ? strtoull(cl, NULL, 10) : 0;
    if (declared > (unsigned long long)r->body_max) {
        /* libmicrohttpd closes a connection answered before its body is in, and a client still
         * sending gets a reset instead of the answer: so the body is read and dropped, and the
         * 413 sent after it; at once when the client waits for it (Expect: 100-continue) or
         * declares more than we are willing to read */
        if (MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT) ||
            declared > (unsigned long long)drain_max())
            reply_problem(r, SD_E_PAYLOAD_TOO_LARGE, NULL);
        else
            r->body_overflow = true;
        return false;
    }
    if (r->route->body && has_body) {
        const char *ct =
            MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
        r->csv = ct && r->route->csv && is_type(ct, "text/csv");
        if (!ct || (!r->csv && !is_type(ct, "application/json"))) {
            reply_problem(r, SD_E_UNSUPPORTED_MEDIA_TYPE, NULL);
            return false;
        }
    }
    return auth_check(r);
}

/* Append a piece of the body, up to the cap; past it, only count. */
static void take_body(struct req *r, const char *data, size_t n)
{
    if (r->body_overflow || r->body_len + n > r->body_max) {
        r->body_overflow = true;
        return;
    }
    if (r->body_len + n + 1 > r->body_cap) {
        size_t cap = r->body_cap ? r->body_cap : 1024;
        while (cap < r->body_len + n + 1)
            cap *= 2;
        if (cap > r->body_max + 1)
            cap = r->body_max + 1; /* room for the NUL */
        char *p = realloc(r->body, cap);
        if (!p) {
            r->body_overflow = true;
            return;
        }
        r->body = p, r->body_cap = cap;
    }
    memcpy(r->body + r->body_len, data, n);
    r->body_len += n;
    r->body[r->body_len] = '\0';
}

/* What went wrong in a JSON text, in Chinese (jansson says it in English only). */
static const char *json_error_zh(enum json_error_code code)
{
    switch (code) {
    case json_error_premature_end_of_input:
        return "JSON 内容不完整，提前结束";
    case json_error_end_of_input_expected:
        return "JSON 之后还有多余的内容";
    case json_error_invalid_utf8:
        return "不是合法的 UTF-8 文本";
    case json_error_null_character:
    case json_error_null_byte_in_key:
        return "字符串中含有 NUL 字符";
    case json_error_duplicate_key:
        return "同一对象中出现了重复的键";
    case json_error_numeric_overflow:
        return "数值超出可表示的范围";
    case json_error_stack_overflow:
        return "嵌套层数过多";
    default:
        return "JSON 语法错误";
    }
}

/* Parse the body of a route that takes one; false when a reply is queued. */
static bool parse_body(struct req *r)
{
    if (r->body_overflow) {
        reply_problem(r, SD_E_PAYLOAD_TOO_LARGE, NULL);
        return false;
    }
    if (r->body_len == 0) {
        reply_problem(r, SD_E_BODY_REQUIRED, NULL);
        return false;
    }
    if (r->csv) {
        /* text for the handler: no NUL inside, valid UTF-8 */
        if (memchr(r->body, '\0', r->body_len) || !utf8_valid(r->body)) {
            reply_problem(r, SD_E_MALFORMED_CSV, NULL);
            return false;
        }
        return true;
    }
    if (!json_depth_ok(r->body, r->body_len, (unsigned)config.max_json_depth)) {
        reply_problem(r, SD_E_JSON_TOO_DEEP, NULL);
        return false;
    }
    json_error_t err;
    r->json = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &err);
    if (!r->json) {
        char detail[320];
        if (r->lang_en)
            snprintf(detail, sizeof detail, "%s (line %d, column %d)", err.text, err.line,
                     err.column);
        else
            snprintf(detail, sizeof detail, "第 %d 行第 %d 列：%s（%s）", err.line, err.column,
                     json_error_zh(json_error_code(&err)), err.text);
        reply_problem(r, SD_E_MALFORMED_JSON, detail);
        return false;
    }
    if (!json_is_object(r->json)) {
        reply_problem(r, SD_E_BODY_NOT_OBJECT, NULL);
        return false;
    }
    return true;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct req *r = *con_cls;
    if (!r)
        return MHD_NO; /* out of memory in on_uri */
    if (!r->started) {
        req_start(r, method);
        begin(r, url, version);
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        r->received += n;
        if (r->status) /* a client that keeps sending after its answer: hang up past the bound */
            return r->received > drain_max() ? MHD_NO : MHD_YES;
        if (r->route->body && !r->body_overflow)
            take_body(r, upload_data, n);
        else if (r->body_overflow && r->received > drain_max())
            reply_problem(r, SD_E_PAYLOAD_TOO_LARGE, NULL); /* enough read: answer, then close */
        return MHD_YES;
    }
    if (r->status)
        return MHD_YES;
    if (r->body_overflow && !r->route->body) {
        reply_problem(r, SD_E_PAYLOAD_TOO_LARGE, NULL);
        return MHD_YES;
    }
    if (!r->route->body || parse_body(r))
        r->route->handler(r);
    db_thread_release(); /* the reply is built: the connection serves another request */
    if (!r->status) {
        log_bug("handler queued no reply",
                json_pack("{s:s, s:s}", "request_id", r->id, "route", r->route->pattern));
        reply_problem(r, SD_E_INTERNAL, NULL);
    }
    return r->status ? MHD_YES : MHD_NO;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct req *r = *con_cls;
    if (!r)
        return;
    if (!r->started) { /* closed before its headers were complete: nothing to log */
        free(r);
        *con_cls = NULL;
        return;
    }
    long long latency = mono_ns() - r->start_ns;
    metrics_observe(route_index(r->route), r->status, latency);
    /* built by hand, not with jansson: this runs once per request; every piece is either ours
     * (route, id checked by request_id_ok) or escaped (the method) */
    char ts[40], method[64], principal[24] = "null", terminated[32] = "", line[512];
    log_timestamp(ts, sizeof ts);
    log_json_escape(method, sizeof method, r->method);
    if (r->authed)
        snprintf(principal, sizeof principal, "%lld", r->who.token_id);
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
        snprintf(terminated, sizeof terminated, ",\"terminated\":%d", (int)toe);
    int n = snprintf(line, sizeof line,
                     "{\"ts\":\"%s\",\"level\":\"info\",\"msg\":\"access\",\"request_id\":\"%s\","
                     "\"method\":\"%s\",\"route\":\"%s\",\"status\":%u,\"latency_ms\":%.3f,"
                     "\"principal\":%s%s}",
                     ts, r->id, method, r->route ? r->route->pattern : "unmatched", r->status,
                     (double)latency / 1e6, principal, terminated);
    if (n > 0 && (size_t)n < sizeof line)
        log_access(line, (size_t)n);
    req_free(r);
    *con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    log_warn("libmicrohttpd", json_pack("{s:s}", "detail", msg));
}

/* Parse "host:port" or "[v6]:port". */
static bool parse_listen(const char *text, struct sockaddr_storage *ss)
{
    char host[64];
    const char *colon = strrchr(text, ':');
    if (!colon || colon == text || (size_t)(colon - text) >= sizeof host)
        return false;
    memcpy(host, text, (size_t)(colon - text));
    host[colon - text] = '\0';
    char *end = NULL;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535)
        return false;
    memset(ss, 0, sizeof *ss);
    if (host[0] == '[') {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        size_t n = strlen(host);
        if (host[n - 1] != ']')
            return false;
        host[n - 1] = '\0';
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        return inet_pton(AF_INET6, host + 1, &a->sin6_addr) == 1;
    }
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    return inet_pton(AF_INET, host, &a->sin_addr) == 1;
}

struct MHD_Daemon *server_start(void)
{
    struct sockaddr_storage addr;
    if (!parse_listen(config.listen, &addr)) {
        log_warn("bad listen address", json_pack("{s:s}", "listen", config.listen));
        return NULL;
    }
    /* A thread for each connection, so that no request waits behind another connection's: the
     * handlers block on PostgreSQL, and with a pool of event-loop threads the keep-alive
     * connections one thread happened to accept took turns (8 connections kept 2 to 4 requests
     * running; with Connection: close a page of the queue went 3 times faster).  At most
     * --threads of them use the database at once (db_config.pool_max). */
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG;
    if (addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)config.max_connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)config.max_connections_per_ip, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)config.connection_timeout_s, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(32 * 1024), MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_URI_LOG_CALLBACK,
        on_uri, NULL, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    metrics_daemon = d;
    return d;
}

void server_stop(struct MHD_Daemon *d, int grace_s)
{
    atomic_store(&stopping, 1);
    /* stop accepting: quiesce hands the listening socket back, and closing it makes new
     * connections fail at once instead of waiting in the backlog */
    MHD_socket listener = MHD_quiesce_daemon(d);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    long long deadline = mono_ns() + (long long)grace_s * 1000000000LL;
    while (atomic_load(&in_flight) > 0 && mono_ns() < deadline) {
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    unsigned long left = atomic_load(&in_flight);
    log_info("stopping", json_pack("{s:I}", "requests_unfinished", (json_int_t)left));
    MHD_stop_daemon(d);
}
