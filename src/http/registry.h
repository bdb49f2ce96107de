#ifndef SD_HTTP_REGISTRY_H
#define SD_HTTP_REGISTRY_H

/* The registers admins keep by unified social credit code — enterprises, training institutions
 * and evaluation bodies — read, listed and written by the same code (registry.c). */

#include "handlers.h"

struct registry {
    const char *const *statuses; /* the allowed statuses, or NULL: none kept */
    const char *default_status;  /* a PUT without one */
    const char *const *kinds;    /* the allowed kinds (required on a PUT), or NULL: none kept */
    /* a register with status and red/black list entries (src/db/listed.c), or NULL: an
     * enterprise, read and written by the functions below */
    const struct db_listed *listed;
    /* "enterprise", "institution": a PUT may give its bank_account (对公账户, sql/0035), which
     * the write's reply and audit rows show masked; NULL: none */
    const char *bank_owner;
    enum db_rc (*lock)(struct db_conn *c, const char *code);
    enum db_rc (*get)(struct db_conn *c, const char *code, char **json);
    enum db_rc (*put)(struct db_conn *c, const char *code, const char *name, const char *region);
    enum db_rc (*list)(struct db_conn *c, const char *region, const char *after, int limit,
                       struct db_page *out);
    struct admin_change write;       /* a PUT: the audit kind and actions, the reads */
    struct admin_change entry_write; /* a list entry (listed registers) */
};
extern const struct registry enterprise_registry, institution_registry, evaluation_body_registry;

/* GET .../{code}: one entry (404 for a malformed code or none). */
void registry_get(struct req *r, const struct registry *g);
/* GET ...?region=[&status=]&after=&limit=: keyset pages by credit code. */
void registry_list(struct req *r, const struct registry *g);
/* PUT .../{code}: create (201) or update (200) name, region [, kind and status] [, the bank
 * account: replaced when given, kept when not]; the region must exist; idempotent by key;
 * audited with before and after. */
void registry_put(struct req *r, const struct registry *g);
/* POST .../{code}/list-entries of a listed register: a red or black list entry (list, reason,
 * valid_from, valid_to); 404 for a member not registered; idempotent by key; audited with the
 * member before and after; the reply is the entry (201). */
void registry_list_entry(struct req *r, const struct registry *g);

#endif
