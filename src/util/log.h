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

/* Current wall-clock time as RFC 3339 UTC with milliseconds, into buf (at least 32 bytes). */
void log_timestamp(char *buf, size_t len);

/* Monotonic clock in nanoseconds. */
long long mono_ns(void);

#endif
