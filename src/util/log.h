#ifndef SD_LOG_H
#define SD_LOG_H

#include <jansson.h>

/*
 * Log lines are one JSON object each, written with a single write(2) to stderr so that lines
 * from many threads never interleave.  Two calls split blame: log_bug() for our own faults,
 * log_client() for a client's; log_info() for the rest.  Never pass a token, an ID number or
 * a phone number in the fields.
 */

/* Write {"ts","level","msg", ...fields}; takes ownership of fields (may be NULL). */
void log_line(const char *level, const char *msg, json_t *fields);

#define log_info(msg, fields)   log_line("info", (msg), (fields))
#define log_bug(msg, fields)    log_line("bug", (msg), (fields))
#define log_client(msg, fields) log_line("client", (msg), (fields))
#define log_warn(msg, fields)   log_line("warn", (msg), (fields))

/*
 * Access lines are many and small, so they go through a buffer that is written when nearly full
 * and at least every 100 ms by a flusher thread, instead of one write(2) each (on these VMs a
 * system call per request cost a third of the throughput).  Other lines flush the buffer first,
 * so the order holds.  A kill -9 can lose up to 100 ms of access lines, never an event line.
 * Before log_start() (the CLI, tests) access lines are written at once.
 */
void log_access(const char *line, size_t len); /* one JSON object, without the newline */
void log_start(void);                          /* start the flusher thread */
void log_stop(void);                           /* flush and stop it */

/* Write s into out as the inside of a JSON string (quotes not included), for ASCII tokens such
 * as an HTTP method: quotes, backslashes, control and non-ASCII bytes are escaped.  Returns the
 * bytes written, truncating to fit outlen. */
size_t log_json_escape(char *out, size_t outlen, const char *s);

/* Current wall-clock time as RFC 3339 UTC with milliseconds, into buf (at least 32 bytes). */
void log_timestamp(char *buf, size_t len);

/* Monotonic clock in nanoseconds. */
long long mono_ns(void);

#endif
