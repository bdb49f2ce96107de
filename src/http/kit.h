#ifndef SD_HTTP_KIT_H
#define SD_HTTP_KIT_H

/*
 * The handler kit: what every handler would otherwise write again — the no-connection check,
 * the query check, the replies of a read or a list, the region field specs, and the shape of an
 * admin write (lock, read before, change, read after, audit, reply).  A new endpoint is one file
 * of parsing and one call, one route line and its spec (docs/ and api/openapi.yaml).
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

/* The reply of a read of one thing as JSON text (taken, freed here): 200 with it, 404 on
 * DB_NOT_FOUND (with detail zh/en when given, else none), or the outcome's problem. */
void reply_found(struct req *r, enum db_rc rc, char *json_take, const char *zh, const char *en);

/* The reply of a list: 200 {items, next_after} with the page (taken) or the outcome's problem. */
void reply_list_rc(struct req *r, enum db_rc rc, struct db_page *page);

/* The reply of a list in one piece: 200 {items} (taken) or the outcome's problem. */
void reply_items(struct req *r, enum db_rc rc, json_t *items);

/* A region code field (format, length 6 to SD_REGION_LEN) with its value in *out. */
struct jfield jfield_region(const char *name, const char **out, bool required);
/* A list of region codes (each as above; at most SD_MAX_REGIONS, at least min) in *out. */
struct jfield jfield_regions(const char *name, const json_t **out, long long min, bool *given);
/* The page size of a list (1 to the configured maximum; the default stays the caller's). */
struct jfield jfield_limit(long long *out);

/*
 * An admin write of one object in the request's transaction: lock it, read it before (its JSON
 * representation), run the change, read it after, write the audit row, and give the reply.
 */
struct admin_write {
    const char *kind; /* the audit row's object kind */
    char id[64];      /* the object's key as text; a create without one fills it in */
    /* serialise writes of the object (NULL: none; then there is no read before either);
     * DB_ABORT after replying itself */
    enum db_rc (*lock)(struct req *r, struct db_conn *c, struct admin_write *w);
    /* its JSON representation (malloc'd), DB_NOT_FOUND when there is none (NULL: the change
     * sets after itself) */
    enum db_rc (*read)(struct db_conn *c, const char *id, char **json);
    bool must_exist; /* no object to lock or read before: 404 (nothing written) */
    /* the change itself; before is NULL for a new object.  It may fill in id, set *after (JSON
     * text, malloc'd, taken), and set *reply to answer something else than the object after;
     * DB_ABORT after replying itself. */
    enum db_rc (*change)(struct req *r, struct db_conn *c, struct admin_write *w,
                         const char *before, char **after, json_t **reply);
    void *cls;                       /* the change's own data */
    const char *action, *action_new; /* audit action; action_new for a new object (NULL: same) */
    unsigned status, status_new;     /* the reply's status; status_new for a new object (0: same) */
    bool skip_unchanged;             /* no audit row when before and after are the same */
};
enum db_rc admin_write(struct req *r, struct db_conn *c, struct admin_write *w, unsigned *status,
                       json_t **reply);

#endif
