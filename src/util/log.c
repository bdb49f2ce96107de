#include "log.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void log_timestamp(char *buf, size_t len)
{
    /* gmtime_r takes glibc's time-zone lock: format the seconds once per second per thread */
    static _Thread_local time_t cached_sec = -1;
    static _Thread_local char cached[24];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (ts.tv_sec != cached_sec) {
        struct tm tm;
        gmtime_r(&ts.tv_sec, &tm);
        strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &tm);
        cached_sec = ts.tv_sec;
    }
    snprintf(buf, len, "%s.%03ldZ", cached, ts.tv_nsec / 1000000);
}

#define ACCESS_BUF (64 * 1024)
static char access_buf[ACCESS_BUF];
static size_t access_used;
static bool flusher_running, flusher_stop;
static pthread_mutex_t access_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t flusher_wake = PTHREAD_COND_INITIALIZER;
static pthread_t flusher;

static void write_all(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, p, n);
        if (w <= 0)
            return; /* nowhere to complain to */
        p += w, n -= (size_t)w;
    }
}

/* Caller holds access_lock. */
static void flush_locked(void)
{
    write_all(access_buf, access_used);
    access_used = 0;
}

void log_access(const char *line, size_t len)
{
    pthread_mutex_lock(&access_lock);
    if (!flusher_running || len + 1 > ACCESS_BUF) {
        flush_locked();
        write_all(line, len);
        write_all("\n", 1);
    } else {
        if (access_used + len + 1 > ACCESS_BUF)
            flush_locked();
        memcpy(access_buf + access_used, line, len);
        access_buf[access_used + len] = '\n';
        access_used += len + 1;
    }
    pthread_mutex_unlock(&access_lock);
}

static void *flush_loop(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&access_lock);
    while (!flusher_stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 100 * 1000000L;
        if (until.tv_nsec >= 1000000000L)
            until.tv_sec++, until.tv_nsec -= 1000000000L;
        pthread_cond_timedwait(&flusher_wake, &access_lock, &until);
        flush_locked();
    }
    pthread_mutex_unlock(&access_lock);
    return NULL;
}

void log_start(void)
{
    pthread_mutex_lock(&access_lock);
    flusher_stop = false;
    flusher_running = pthread_create(&flusher, NULL, flush_loop, NULL) == 0;
    pthread_mutex_unlock(&access_lock);
}

void log_stop(void)
{
    pthread_mutex_lock(&access_lock);
    bool running = flusher_running;
    flusher_stop = true;
    flusher_running = false;
    pthread_cond_signal(&flusher_wake);
    flush_locked();
    pthread_mutex_unlock(&access_lock);
    if (running)
        pthread_join(flusher, NULL);
}

size_t log_json_escape(char *out, size_t outlen, const char *s)
{
    size_t n = 0;
    for (; *s && n + 7 < outlen; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[n++] = '\\';
            out[n++] = (char)c;
        } else if (c < 0x20 || c >= 0x7F) {
            n += (size_t)snprintf(out + n, outlen - n, "\\u%04x", c);
        } else {
            out[n++] = (char)c;
        }
    }
    out[n] = '\0';
    return n;
}

long long mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void log_line(const char *level, const char *msg, json_t *fields)
{
    char ts[40];
    log_timestamp(ts, sizeof ts);
    json_t *line = json_pack("{s:s, s:s, s:s}", "ts", ts, "level", level, "msg", msg);
    if (line && fields)
        json_object_update(line, fields);
    json_decref(fields);
    char *text =
        line ? json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)) : NULL;
    json_decref(line);
    if (!text)
        return;
    size_t n = strlen(text);
    text[n] = '\n';                   /* overwrite the NUL: one write of the whole line */
    pthread_mutex_lock(&access_lock); /* after the access lines before it */
    flush_locked();
    write_all(text, n + 1);
    pthread_mutex_unlock(&access_lock);
    free(text);
}
