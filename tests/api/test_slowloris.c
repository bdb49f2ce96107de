/* API tier, S3: 1,000 slow connections from 127.0.0.1 that never finish their headers, while a
 * probe from 127.0.0.2 calls /v1/health every second for 40 s: every probe must be answered.
 * (The per-IP connection limit is what holds: libmicrohttpd's timeout counts inactivity, and
 * these connections are never inactive.) */
#include <arpa/inet.h>
#include <check.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define ATTACKERS 1000

static struct th_pg pg;
static struct th_daemon d;
static _Atomic int stop;
static _Atomic long opened, held_max;

static int slow_connect(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)d.port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    atomic_fetch_add(&opened, 1);
    return fd;
}

/* Each connection sends its request line, then one header byte per round, forever. */
static void *attack(void *unused)
{
    static int fds[ATTACKERS];
    static int sent[ATTACKERS];
    for (int i = 0; i < ATTACKERS; i++)
        fds[i] = -1;
    const char *start = "GET /v1/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ";
    while (!atomic_load(&stop)) {
        long alive = 0;
        for (int i = 0; i < ATTACKERS && !atomic_load(&stop); i++) {
            if (fds[i] < 0) {
                fds[i] = slow_connect();
                sent[i] = 0;
                continue;
            }
            const char *what = sent[i] ? "a" : start;
            ssize_t n = send(fds[i], what, strlen(what), MSG_DONTWAIT | MSG_NOSIGNAL);
            if (n < 0 && errno != EAGAIN && errno != ENOTCONN) {
                close(fds[i]);
                fds[i] = -1;
                continue;
            }
            if (n > 0)
                sent[i] = 1;
            alive++;
        }
        if (alive > atomic_load(&held_max))
            atomic_store(&held_max, alive);
        usleep(500000);
    }
    for (int i = 0; i < ATTACKERS; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    return NULL;
}

static size_t discard(char *p, size_t s, size_t n, void *u)
{
    return s * n;
}

/* One probe from 127.0.0.2; the status, or 0 when nothing came back within 2 s. */
static long probe(void)
{
    CURL *c = curl_easy_init();
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/v1/health", d.port);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_INTERFACE, "host!127.0.0.2");
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 2000L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    return status;
}

START_TEST(probe_always_answered)
{
    int seconds = getenv("SD_SLOWLORIS_SECONDS") ? atoi(getenv("SD_SLOWLORIS_SECONDS")) : 40;
    pthread_t t;
    pthread_create(&t, NULL, attack, NULL);
    sleep(2); /* let the attack build up */
    int answered = 0;
    for (int i = 0; i < seconds; i++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (probe() == 200)
            answered++;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        long used_us = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000;
        if (used_us < 1000000)
            usleep((useconds_t)(1000000 - used_us));
    }
    atomic_store(&stop, 1);
    pthread_join(t, NULL);
    fprintf(stderr, "S3: %d of %d probes answered; %ld slow connections opened, up to %ld open\n",
            answered, seconds, atomic_load(&opened), atomic_load(&held_max));
    ck_assert_int_ge(atomic_load(&opened), ATTACKERS);
    ck_assert_int_eq(answered, seconds);
    /* and the daemon is still well, once the attack's connections (a thread each) have gone:
     * within 3 s */
    long status = 0;
    for (int i = 0; i < 30 && status != 200; i++) {
        struct th_reply r = th_http(&d, "GET", "/v1/health", NULL, NULL, 0, NULL);
        status = r.status;
        th_reply_free(&r);
        if (status != 200)
            usleep(100000);
    }
    ck_assert_int_eq(status, 200);
}
END_TEST

int main(void)
{
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < ATTACKERS + 64) {
        fprintf(stderr, "SKIP: need %d open files, the limit is %ld\n", ATTACKERS + 64,
                (long)rl.rlim_cur);
        return 77;
    }
    th_start(&pg, &d, NULL);
    Suite *s = suite_create("slowloris");
    TCase *tc = tcase_create("S3");
    tcase_set_timeout(tc, 180);
    tcase_add_test(tc, probe_always_answered);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
