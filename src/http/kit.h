#ifndef SD_HTTP_KIT_H
#define SD_HTTP_KIT_H

/*
 * The handler kit: what every handler would otherwise write again — the no-connection check,
 * the query check, the replies of a read or a list, the region field specs, and the shape of an
 * admin write (lock, read before, change, read after, audit, reply).  A new endpoint is one file
 * of parsing and one call, one route line (routes.c) and its spec (api/openapi.yaml).
 */

#include "http.h"
#include "page.h"

/* This thread's database connection, or NULL after replying 503 (the one no-connection check). */
struct db_conn *req_db(struct req *r);

/* The same for a request about one thing named in the path: 404 (and NULL) when key_ok is
 * false, the key being malformed. */
struct db_conn *req_db_key(struct req *r, bool key_ok);

/* Check the query string against spec; false after replying 400 bad_query with every problem. */
bool req_query(struct req *r, const struct jfield *spec, size_t n);

/* After a database call: false when rc is DB_OK; otherwise true after replying 404 for
 * DB_NOT_FOUND or the outcome's problem. */
bool reply_failed(struct req *r, enum db_rc rc);

/* The reply of a read of one thing as JSON text (taken, freed here): 200 with it, 404 on
 * DB_NOT_FOUND (with detail zh/en when given, else none), or the outcome's problem. */
void reply_found(struct req *r, enum db_rc rc, char *json_take, const char *zh, const char *en);

/* GET .../{id} whole: 404 for a malformed id, else the read by get (reply_found). */
void reply_by_id(struct req *r, enum db_rc (*get)(struct db_conn *c, long long id, char **json));

/* The reply of a list: 200 {items, next_after} with the page (taken) or the outcome's problem. */
void reply_list_rc(struct req *r, enum db_rc rc, struct db_page *page);

/* A list endpoint whole: check the query against spec (400), get a connection (503), fetch the
 * page with fetch(db, cls, page) (cls holding what spec filled in) and reply it. */
typedef enum db_rc (*page_fetch)(struct db_conn *db, void *cls, struct db_page *page);
void reply_query_page(struct req *r, const struct jfield *spec, size_t n, page_fetch fetch,
                      void *cls);

/* The same, answering CSV (csv_from_items of columns, with the next page's key in Next-After)
 * when the request's Accept names text/csv. */
void reply_query_page_csv(struct req *r, const struct jfield *spec, size_t n, page_fetch fetch,
                          void *cls, const char *const *columns);

/* The reply of a list in one piece: 200 {items} (taken) or the outcome's problem. */
void reply_items(struct req *r, enum db_rc rc, json_t *items);
/* Does the request ask for CSV (Accept names text/csv)? */
bool req_wants_csv(struct req *r);

/* A step's "reason" in words (1 to 500 characters) and its "reason_codes" (1 to max), each in
 * *out. */
struct jfield jfield_reason(const char **out, bool required);
struct jfield jfield_reason_codes(const json_t **out, bool required, long long max);
/* Each of codes (a checked string list in field "reason_codes") one of known (NULL-ended), else
 * a field error on "reason_codes[i]" with the messages zh and en. */
void check_reason_codes(struct req *r, const json_t *codes, const char *const *known,
                        const char *zh, const char *en);

/* The principal's regions as "code,code,..." (SQL's string_to_array) into out, "" for none. */
void principal_regions_csv(const struct sd_principal *who, char *out, size_t len);

/* A region code field (format, length 6 to SD_REGION_LEN) with its value in *out. */
struct jfield jfield_region(const char *name, const char **out, bool required);
/* A list of region codes (each as above; at most SD_MAX_REGIONS, at least min) in *out. */
struct jfield jfield_regions(const char *name, const json_t **out, long long min, bool *given);
/* A date (YYYY-MM-DD) field in *out. */
struct jfield jfield_date(const char *name, const char **out, bool required);
/* A policy id field (lower-case letters, digits and -; 1 to 63) in *out. */
struct jfield jfield_policy(const char **out, bool required);
/* The required "source" of an admin upload (1 to 200 characters) in *out. */
struct jfield jfield_source(const char **out);
/* valid_to, when given, must not be before valid_from (a field error on valid_to). */
void check_period(struct req *r, const char *valid_from, const char *valid_to);
/* A regional role (approver, finance) has regions (has_regions) and nobody else has: a field
 * error on "regions". */
void check_approver_regions(struct req *r, bool approver, bool has_regions);

/* A role name (required) in *out. */
struct jfield jfield_role(const char **out);
/* A subject ([A-Za-z0-9._-], 1 to SD_SUBJECT_LEN) in *out, *given when present. */
struct jfield jfield_subject(const char **out, bool *given);
/* A state filter, one of values (a vocabulary's NULL-terminated names), in *out. */
struct jfield jfield_state(const char **out, const char *const *values);
/* A year filter (2000 to 2100) in *out. */
struct jfield jfield_year(long long *out);
/* The keyset "after" of a list keyed by id (0 and up) in *out. */
struct jfield jfield_after_id(long long *out);
/* The page size of a list (1 to the configured maximum; the default stays the caller's). */
struct jfield jfield_limit(long long *out);

/* A review queue's cursor "KEY_ID" (the next_after of the page before): KEY a date, or with
 * by_time a whole number of microseconds, into key; ID into *id.  False when malformed. */
bool review_cursor_read(const char *text, bool by_time, char *key, size_t keylen, long long *id);

/* A queue's reply: 200 {items, next_after, counts} (taking the page's and the counts'
 * references), or the db outcome rc's problem. */
void reply_queue(struct req *r, enum db_rc rc, struct db_page *page, json_t *counts);

/*
 * An admin write of one object in the request's transaction, under its Idempotency-Key: lock
 * it, read it before (its JSON representation), run the change, read it after, write the audit
 * row, and give the reply.  What is fixed for an endpoint is a static struct admin_change.
 */
struct admin_write;
struct admin_change {
    const char *kind; /* the audit row's object kind */
    /* serialise writes of the object (NULL: none; then there is no read before either);
     * DB_ABORT after replying itself */
    enum db_rc (*lock)(struct req *r, struct db_conn *c, struct admin_write *w);
    /* its JSON representation (malloc'd), DB_NOT_FOUND when there is none (NULL: the change
     * sets after itself) */
    enum db_rc (*read)(struct db_conn *c, const char *id, char **json);
    bool must_exist; /* no object to lock or read before: 404 (nothing written) */
    /* the change itself; before is NULL for a new object.  It may fill in w->id, set *after
     * (JSON text, malloc'd, taken), and set *reply to answer something else than the object
     * after; DB_ABORT after replying itself. */
    enum db_rc (*change)(struct req *r, struct db_conn *c, struct admin_write *w,
                         const char *before, char **after, json_t **reply);
    const char *action, *action_new; /* audit action; action_new for a new object (NULL: same) */
    unsigned status, status_new;     /* the reply's status; status_new for a new object (0: same) */
    bool skip_unchanged;             /* no audit row when before and after are the same */
};
struct admin_write {
    const struct admin_change *how;
    char id[64]; /* the object's key as text; a create without one fills it in */
    void *cls;   /* the change's own data */
};
/* Reply 422 with the request's field errors when it has any; otherwise run the write of how on
 * the object id (NULL: a create names it) under idempotent(), or idempotent_secret() when
 * secret_field is not NULL. */
void admin_idempotent(struct req *r, const struct admin_change *how, const char *id, void *cls,
                      const char *secret_field);
/* The same write as a dry run (dry_run(): rolled back, no audit row kept, no key needed): a
 * preview answers what the write would, with "dry_run": true. */
void admin_dry_run(struct req *r, const struct admin_change *how, const char *id, void *cls);

/* For a change whose reply is a summary (an import's counts): *after, what the audit row keeps,
 * is the reply's text; DB_HARD when there is none. */
enum db_rc admin_counts(const json_t *reply, char **after);

#endif
