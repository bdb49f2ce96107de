/* API tier: what every route shares.  Framing and limits (S1), request ids, problem+json,
 * health/ready/version/metrics, and that these answers need no database. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64];

static void assert_problem(struct th_reply *r, long status, int code)
{
    ck_assert_int_eq(r->status, status);
    ck_assert_str_eq(th_header(r, "content-type"), "application/problem+json");
    ck_assert_ptr_nonnull(r->json);
    ck_assert_int_eq(json_integer_value(json_object_get(r->json, "code")), code);
    ck_assert_int_eq(json_integer_value(json_object_get(r->json, "status")), status);
    ck_assert_ptr_nonnull(json_string_value(json_object_get(r->json, "title_zh")));
    ck_assert_ptr_nonnull(json_string_value(json_object_get(r->json, "title_en")));
    const char *rid = json_string_value(json_object_get(r->json, "request_id"));
    ck_assert_ptr_nonnull(rid);
    ck_assert_str_eq(rid, th_header(r, "x-request-id"));
}

/* One exchange on a raw socket, for what libcurl will not do: head (the request line and
 * headers, CRLFs included), then after a pause body (may be NULL), then everything the server
 * sends until it closes (5 s at most) into out (NUL-terminated). */
struct raw {
    size_t sent, got;           /* body bytes sent, reply bytes read */
    int send_errno, read_errno; /* what ended sending early, reading (0: all sent, end of stream) */
};

static struct raw raw_exchange(const char *head, const char *body, size_t body_len, char *out,
                               size_t out_len)
{
    struct raw x = {0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)d.port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    ck_assert_int_eq(send(fd, head, strlen(head), MSG_NOSIGNAL), (ssize_t)strlen(head));
    if (body)
        usleep(100 * 1000); /* the server has seen the headers */
    while (body && x.sent < body_len) {
        ssize_t w = send(fd, body + x.sent, body_len - x.sent, MSG_NOSIGNAL);
        if (w <= 0) {
            x.send_errno = errno;
            break;
        }
        x.sent += (size_t)w;
    }
    for (;;) {
        ssize_t n = recv(fd, out + x.got, out_len - 1 - x.got, 0);
        if (n < 0)
            x.read_errno = errno;
        if (n <= 0 || (x.got += (size_t)n) == out_len - 1)
            break;
    }
    out[x.got] = '\0';
    close(fd);
    return x;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long token_rows(void)
{
    char *n = th_sql(&pg, "SELECT count(*) FROM token");
    long v = atol(n);
    free(n);
    return v;
}

START_TEST(health_version_ready)
{
    struct th_reply r = th_http(&d, "GET", "/v1/health", NULL, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")), "ok");
    ck_assert_str_eq(th_header(&r, "content-type"), "application/json");
    th_reply_free(&r);

    r = th_http(&d, "GET", "/v1/version", NULL, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    char *applied = th_sql(&pg, "SELECT max(version) FROM schema_migration");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "schema_version")), atoi(applied));
    free(applied);
    ck_assert_ptr_nonnull(json_string_value(json_object_get(r.json, "build")));
    th_reply_free(&r);

    r = th_http(&d, "GET", "/v1/ready", NULL, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")), "ready");
    th_reply_free(&r);

    r = th_http(&d, "HEAD", "/v1/health", NULL, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(r.len, 0);
    th_reply_free(&r);
}
END_TEST

START_TEST(request_id_echoed_or_made)
{
    const char *good[] = {"X-Request-Id: abc-123_X.9", NULL};
    struct th_reply r = th_http(&d, "GET", "/v1/health", NULL, NULL, 0, good);
    ck_assert_str_eq(th_header(&r, "x-request-id"), "abc-123_X.9");
    ck_assert(th_log_wait(&d, "\"request_id\":\"abc-123_X.9\"", 2.0));
    th_reply_free(&r);

    const char *bad[] = {"X-Request-Id: <script>", NULL};
    r = th_http(&d, "GET", "/v1/health", NULL, NULL, 0, bad);
    const char *id = th_header(&r, "x-request-id");
    ck_assert_ptr_nonnull(id);
    ck_assert_int_eq(strlen(id), 32);
    ck_assert_str_ne(id, "<script>");
    th_reply_free(&r);
}
END_TEST

START_TEST(router_404_405_414)
{
    struct th_reply r = th_http(&d, "GET", "/v1/nope", NULL, NULL, 0, NULL);
    assert_problem(&r, 404, 1000);
    th_reply_free(&r);

    r = th_http(&d, "PUT", "/v1/tokens", admin, NULL, 0, NULL);
    assert_problem(&r, 405, 1001);
    ck_assert_str_eq(th_header(&r, "allow"), "POST, GET");
    th_reply_free(&r);

    r = th_http(&d, "GET", "/v1/tokens/..%2f..%2fetc", admin, NULL, 0, NULL);
    assert_problem(&r, 404, 1000);
    th_reply_free(&r);

    char path[4200] = "/v1/health?x=";
    memset(path + strlen(path), 'a', 4000);
    path[4100] = '\0';
    r = th_http(&d, "GET", path, NULL, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 414);
    th_reply_free(&r);
}
END_TEST

START_TEST(body_over_cap_is_413_before_reading)
{
    long before = token_rows();
    size_t n = 64 * 1024 + 1;
    char *big = malloc(n + 1);
    memset(big, ' ', n);
    big[0] = '{', big[n - 1] = '}', big[n] = '\0';
    struct th_reply r = th_json(&d, "POST", "/v1/tokens", admin, big);
    assert_problem(&r, 413, 1002);
    th_reply_free(&r);

    /* chunked: no Content-Length, counted as it arrives */
    const char *chunked[] = {"Content-Type: application/json", "Transfer-Encoding: chunked", NULL};
    r = th_http(&d, "POST", "/v1/tokens", admin, big, (long)n, chunked);
    assert_problem(&r, 413, 1002);
    th_reply_free(&r);
    free(big);
    ck_assert_int_eq(token_rows(), before);
}
END_TEST

/* A client that sends its whole body over the cap without waiting (no Expect: 100-continue) can
 * send it all and read the 413, on a route with a body and one without; a body over what the
 * server is willing to read (4 x --max-upload) is answered at once and the connection closed. */
static void assert_413_read(const char *method, const char *path, size_t declared, size_t n,
                            bool all_sent)
{
    char *big = malloc(n);
    memset(big, ' ', n);
    char head[512], out[8192];
    snprintf(head, sizeof head,
             "%s %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
             "Content-Type: application/json\r\nContent-Length: %zu\r\n"
             "Connection: close\r\n\r\n", /* so the reply ends with the stream */
             method, path, admin, declared);
    double t0 = now_s();
    struct raw x = raw_exchange(head, big, n, out, sizeof out);
    ck_assert_msg(strncmp(out, "HTTP/1.1 413 ", 13) == 0, "%s %s: read %zu bytes (%s): %.80s",
                  method, path, x.got, strerror(x.read_errno), out);
    ck_assert(strstr(out, "\"code\":1002") != NULL);
    ck_assert_int_eq(x.read_errno, 0);
    if (all_sent)
        ck_assert_msg(x.sent == n && x.send_errno == 0, "%s %s: sent %zu of %zu (%s)", method, path,
                      x.sent, n, strerror(x.send_errno));
    else
        ck_assert_int_lt(x.sent, n);
    ck_assert_double_lt(now_s() - t0, 4.0); /* closed by the server, not by the 5 s timeout */
    free(big);
}

START_TEST(early_413_is_readable_while_sending)
{
    long before = token_rows();
    assert_413_read("POST", "/v1/tokens", 1024 * 1024, 1024 * 1024, true);
    assert_413_read("GET", "/v1/tokens", 1024 * 1024, 1024 * 1024, true);
    assert_413_read("POST", "/v1/tokens", 64 * 1024 * 1024, 16 * 1024 * 1024, false);
    ck_assert_int_eq(token_rows(), before);
}
END_TEST

START_TEST(http11_without_host_is_400)
{
    char out[4096];
    raw_exchange("GET /v1/health HTTP/1.1\r\nConnection: close\r\n\r\n", NULL, 0, out, sizeof out);
    ck_assert_msg(strncmp(out, "HTTP/1.1 400 ", 13) == 0, "got: %.80s", out);
    ck_assert(strcasestr(out, "\r\ncontent-type: application/problem+json\r\n") != NULL);
    ck_assert(strstr(out, "\"code\":1020") != NULL);
    ck_assert(strstr(out, "\"name\":\"host_required\"") != NULL);
    ck_assert(strstr(out, "\"title_zh\":\"HTTP/1.1 请求须带 Host 请求头\"") != NULL);

    raw_exchange("GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", NULL, 0, out,
                 sizeof out);
    ck_assert_msg(strncmp(out, "HTTP/1.1 200 ", 13) == 0, "got: %.80s", out);
    /* HTTP/1.0 may omit it */
    raw_exchange("GET /v1/health HTTP/1.0\r\n\r\n", NULL, 0, out, sizeof out);
    ck_assert_msg(strncmp(out, "HTTP/1.0 200 ", 13) == 0 || strncmp(out, "HTTP/1.1 200 ", 13) == 0,
                  "got: %.80s", out);
}
END_TEST

START_TEST(bad_bodies_are_400)
{
    long before = token_rows();
    struct {
        const char *body;
        long len;
        int code;
    } cases[] = {
        {"{\"role\":\"admin\",\"role\":\"applicant\"}", -1, 1005},             /* duplicate keys */
        {"{\"role\":\"adm\\u0000in\"}", -1, 1005},                             /* NUL escape */
        {"{\"role\":\"adm\0in\"}", sizeof "{\"role\":\"adm\0in\"}" - 1, 1005}, /* raw NUL */
        {"{\"role\":\"\xff\xfe\"}", -1, 1005},                                 /* invalid UTF-8 */
        {"{\"role\":", -1, 1005},                                              /* truncated */
        {"[1,2]", -1, 1007},                                                   /* not an object */
        {"", 0, 1008},                                                         /* empty */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *h[] = {"Content-Type: application/json", NULL};
        struct th_reply r =
            th_http(&d, "POST", "/v1/tokens", admin, cases[i].body, cases[i].len, h);
        assert_problem(&r, 400, cases[i].code);
        th_reply_free(&r);
    }
    char deep[200] = "";
    for (int i = 0; i < 40; i++)
        strcat(deep, "[");
    for (int i = 0; i < 40; i++)
        strcat(deep, "]");
    char body[300];
    snprintf(body, sizeof body, "{\"label\":%s}", deep);
    struct th_reply r = th_json(&d, "POST", "/v1/tokens", admin, body);
    assert_problem(&r, 400, 1006);
    th_reply_free(&r);
    ck_assert_int_eq(token_rows(), before);
}
END_TEST

START_TEST(wrong_content_type_is_415)
{
    const char *h[] = {"Content-Type: text/plain", NULL};
    struct th_reply r = th_http(&d, "POST", "/v1/tokens", admin, "{}", -1, h);
    assert_problem(&r, 415, 1004);
    th_reply_free(&r);
    const char *h2[] = {"Content-Type: application/json; charset=latin1", NULL};
    r = th_http(&d, "POST", "/v1/tokens", admin, "{}", -1, h2);
    assert_problem(&r, 415, 1004);
    th_reply_free(&r);
    const char *h3[] = {"Content-Type: application/json; charset=utf-8", NULL};
    r = th_http(&d, "POST", "/v1/tokens", admin, "{\"role\":\"admin\"}", -1, h3);
    ck_assert_int_eq(r.status, 201);
    th_reply_free(&r);
}
END_TEST

START_TEST(every_bad_field_in_one_reply)
{
    long before = token_rows();
    struct th_reply r = th_json(&d, "POST", "/v1/tokens", admin,
                                "{\"role\":7,\"subject\":\"\",\"regions\":[\"33\",5],"
                                "\"label\":true,\"expires_in_days\":99999,"
                                "\"status\":\"active\",\"amount_fen\":1}");
    assert_problem(&r, 400, 1010); /* unknown fields (mass assignment) make it a 400 */
    const char *fields[] = {"role",  "subject",         "regions[0]", "regions[1]",
                            "label", "expires_in_days", "status",     "amount_fen"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        ck_assert_msg(th_problem_has_field(&r, fields[i]), "field %s not named", fields[i]);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "errors")), 8);
    th_reply_free(&r);

    r = th_json(&d, "POST", "/v1/tokens", admin, "{\"role\":\"approver\",\"expires_in_days\":0}");
    assert_problem(&r, 422, 1009);
    ck_assert(th_problem_has_field(&r, "regions"));
    ck_assert(th_problem_has_field(&r, "expires_in_days"));
    th_reply_free(&r);

    r = th_json(&d, "POST", "/v1/tokens", admin, "{}");
    assert_problem(&r, 422, 1009);
    ck_assert(th_problem_has_field(&r, "role"));
    th_reply_free(&r);
    ck_assert_int_eq(token_rows(), before);
}
END_TEST

START_TEST(messages_in_both_languages)
{
    const char *en[] = {"Content-Type: application/json", "Accept-Language: en-US", NULL};
    struct th_reply r = th_http(&d, "POST", "/v1/tokens", admin, "{}", -1, en);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "title")),
                     "Some fields of the request are invalid");
    json_t *e0 = json_array_get(json_object_get(r.json, "errors"), 0);
    /* the message says what the field allows */
    ck_assert_str_eq(json_string_value(json_object_get(e0, "message")),
                     "Required field is missing: must be one of applicant, enterprise, "
                     "institution, approver, admin, finance");
    th_reply_free(&r);
    r = th_json(&d, "POST", "/v1/tokens", admin, "{}");
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "title")), "请求中有字段不符合要求");
    e0 = json_array_get(json_object_get(r.json, "errors"), 0);
    ck_assert_str_eq(
        json_string_value(json_object_get(e0, "message")),
        "缺少必填字段：应为 applicant, enterprise, institution, approver, admin, finance 之一");
    th_reply_free(&r);
}
END_TEST

START_TEST(huge_page_size_is_400)
{
    struct th_reply r = th_http(&d, "GET", "/v1/tokens?limit=100000000", admin, NULL, 0, NULL);
    assert_problem(&r, 400, 1011);
    ck_assert(th_problem_has_field(&r, "limit"));
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/tokens?limit=abc&after=-1&sort=x", admin, NULL, 0, NULL);
    assert_problem(&r, 400, 1011);
    ck_assert(th_problem_has_field(&r, "limit"));
    ck_assert(th_problem_has_field(&r, "after"));
    ck_assert(th_problem_has_field(&r, "sort"));
    th_reply_free(&r);
}
END_TEST

START_TEST(memory_flat_under_bad_input)
{
    /* warm up, then 2,000 hostile requests: resident memory may not keep growing */
    const char *h[] = {"Content-Type: application/json", NULL};
    char *big = malloc(60000);
    memset(big, 'x', 59999);
    big[59999] = '\0';
    memcpy(big, "{\"label\":\"", 10);
    for (int i = 0; i < 200; i++) {
        struct th_reply r = th_http(&d, "POST", "/v1/tokens", admin, big, -1, h);
        th_reply_free(&r);
    }
    long before = th_proc_kib(d.pid, "VmRSS");
    for (int i = 0; i < 2000; i++) {
        struct th_reply r = i % 2 ? th_http(&d, "POST", "/v1/tokens", admin, big, -1, h)
                                  : th_json(&d, "POST", "/v1/tokens", admin,
                                            "{\"a\":1,\"a\":2,\"b\":[[[[[[]]]]]]}");
        ck_assert_int_eq(r.status, 400);
        th_reply_free(&r);
    }
    long after = th_proc_kib(d.pid, "VmRSS");
    free(big);
#ifndef __SANITIZE_ADDRESS__ /* ASan's quarantine holds freed memory; LeakSanitizer checks leaks   \
                              */
    ck_assert_msg(after - before < 4096, "RSS grew from %ld to %ld KiB", before, after);
#else
    (void)before, (void)after;
#endif
}
END_TEST

START_TEST(metrics_count_requests)
{
    struct th_reply r = th_http(&d, "GET", "/metrics", NULL, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_nonnull(strstr(th_header(&r, "content-type"), "text/plain"));
    ck_assert_ptr_nonnull(
        strstr(r.body, "subsidyd_http_requests_total{route=\"GET /v1/health\",status=\"200\"}"));
    ck_assert_ptr_nonnull(strstr(r.body, "subsidyd_http_request_duration_seconds_bucket"));
    ck_assert_ptr_nonnull(strstr(r.body, "subsidyd_db_txn_retries_total"));
    ck_assert_ptr_nonnull(strstr(r.body, "subsidyd_db_connections "));
    th_reply_free(&r);
}
END_TEST

/* Last: with PostgreSQL stopped, framing errors are still answered (decided before the
 * database), health still answers, and everything else is a 503 with Retry-After. */
START_TEST(framing_decided_without_database)
{
    th_pg_ctl(&pg, "stop", "fast");
    struct th_reply r = th_http(&d, "GET", "/v1/health", NULL, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    th_reply_free(&r);
    const char *h[] = {"Content-Type: text/plain", NULL};
    r = th_http(&d, "POST", "/v1/tokens", admin, "{}", -1, h);
    ck_assert_int_eq(r.status, 415);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/nope", admin, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/me", admin, NULL, 0, NULL);
    assert_problem(&r, 503, 5001);
    ck_assert_str_eq(th_header(&r, "retry-after"), "1");
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/ready", NULL, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 503);
    th_reply_free(&r);
    th_pg_ctl(&pg, "start", NULL);
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_token(&pg, "admin", NULL, NULL, admin);

    Suite *s = suite_create("http");
    TCase *tc = tcase_create("shared");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, health_version_ready);
    tcase_add_test(tc, request_id_echoed_or_made);
    tcase_add_test(tc, router_404_405_414);
    tcase_add_test(tc, body_over_cap_is_413_before_reading);
    tcase_add_test(tc, early_413_is_readable_while_sending);
    tcase_add_test(tc, http11_without_host_is_400);
    tcase_add_test(tc, bad_bodies_are_400);
    tcase_add_test(tc, wrong_content_type_is_415);
    tcase_add_test(tc, every_bad_field_in_one_reply);
    tcase_add_test(tc, messages_in_both_languages);
    tcase_add_test(tc, huge_page_size_is_400);
    tcase_add_test(tc, memory_flat_under_bad_input);
    tcase_add_test(tc, metrics_count_requests);
    tcase_add_test(tc, framing_decided_without_database);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
