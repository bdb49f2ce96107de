#ifndef SD_HTTP_REGISTRY_H
#define SD_HTTP_REGISTRY_H

/* The registers admins keep by unified social credit code — enterprises and training
 * institutions — read, listed and written by the same code (registry.c). */

#include "handlers.h"

struct registry {
    const char *const *statuses; /* the allowed statuses, or NULL: none kept */
    const char *default_status;  /* a PUT without one */
    enum db_rc (*lock)(struct db_conn *c, const char *code);
    enum db_rc (*get)(struct db_conn *c, const char *code, char **json);
    enum db_rc (*put)(struct db_conn *c, const char *code, const char *name, const char *region,
                      const char *status);
    enum db_rc (*list)(struct db_conn *c, const char *region, const char *status, const char *after,
                       int limit, struct db_page *out);
    struct admin_change write; /* a PUT: the audit kind and actions, the reads */
};
extern const struct registry enterprise_registry, institution_registry;

/* GET .../{code}: one entry (404 for a malformed code or none). */
void registry_get(struct req *r, const struct registry *g);
/* GET ...?region=[&status=]&after=&limit=: keyset pages by credit code. */
void registry_list(struct req *r, const struct registry *g);
/* PUT .../{code}: create (201) or update (200) name, region [and status]; the region must
 * exist; idempotent by key; audited with before and after. */
void registry_put(struct req *r, const struct registry *g);

#endif
