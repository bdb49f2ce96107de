/* bench_hello: the bare libmicrohttpd ceiling for tests/bench/health/run.sh.
 *
 * Answers GET /v1/health with {"status":"ok"} (application/json), in the same daemon mode and
 * with the same connection options as subsidyd's server_start() (src/http/server.c): epoll
 * with an internal thread pool and an inter-thread channel, the same connection, per-IP,
 * timeout, memory and backlog settings.  What subsidyd does on top (routing, request ids,
 * metrics, the access log, JSON built with jansson) is what the benchmark's ratio measures.
 *
 *   bench_hello PORT THREADS [PER_IP_LIMIT]
 *
 * Listens on 127.0.0.1 only; stops on SIGTERM or SIGINT. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* sigwait, pthread_sigmask under plain -std=c17 */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char body[] = "{\"status\":\"ok\"}";

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    static int marker;
    (void)cls, (void)version, (void)upload_data;
    /* Like subsidyd: the first call only sees the headers, the reply goes out on the next. */
    if (*con_cls == NULL) {
        *con_cls = &marker;
        return MHD_YES;
    }
    if (*upload_data_size) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    unsigned status = MHD_HTTP_OK;
    const char *text = body;
    if (strcmp(url, "/v1/health") != 0) {
        status = MHD_HTTP_NOT_FOUND;
        text = "{\"status\":\"not found\"}";
    } else if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        status = MHD_HTTP_METHOD_NOT_ALLOWED;
        text = "{\"status\":\"method not allowed\"}";
    }
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    enum MHD_Result ret = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn, (void)toe;
    *con_cls = NULL;
}

static long arg_long(const char *text, long lo, long hi, const char *what)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < lo || v > hi) {
        fprintf(stderr, "bench_hello: %s must be a whole number from %ld to %ld, got \"%s\"\n",
                what, lo, hi, text);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: bench_hello PORT THREADS [PER_IP_LIMIT]\n");
        return 2;
    }
    long port = arg_long(argv[1], 1, 65535, "PORT");
    long threads = arg_long(argv[2], 1, 256, "THREADS");
    long per_ip = argc == 4 ? arg_long(argv[3], 1, 100000, "PER_IP_LIMIT") : 32;

    /* Signals go to the main thread only: block them before the pool starts. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    /* The same flags and options as subsidyd's server_start(), error log aside. */
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC, 0, NULL, NULL, on_request, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)threads, MHD_OPTION_CONNECTION_LIMIT, 1024u, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)per_ip, MHD_OPTION_CONNECTION_TIMEOUT, 15u, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(32 * 1024), MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, NULL, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "bench_hello: cannot listen on 127.0.0.1:%ld\n", port);
        return 1;
    }
    fprintf(stderr, "bench_hello: listening on 127.0.0.1:%ld with %ld threads\n", port, threads);
    int sig = 0;
    sigwait(&sigs, &sig);
    MHD_stop_daemon(d);
    return 0;
}
