/* POST /v1/admin/institutions/{code}/list-entries: an admin puts a training institution on the
 * red or black list (reason, from, optionally to).  A black-listed institution cannot file
 * classes in that period.  Entries are never changed; idempotent by key; audited with the
 * institution before and after. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "ops.h"

static const char *const lists[] = {"red", "black", NULL};

static enum db_rc lock(struct req *r, struct db_conn *c, struct admin_write *w)
{
    return db_institution_lock(c, w->id);
}

/* The entry, which is also the reply (the audit row keeps the institution before and after). */
static enum db_rc insert(struct req *r, struct db_conn *c, struct admin_write *w,
                         const char *before, char **after, json_t **reply)
{
    char *entry = NULL;
    enum db_rc rc = db_institution_entry_add(c, w->cls, &entry);
    if (rc == DB_OK)
        *reply = json_loads(entry, 0, NULL);
    free(entry);
    return rc == DB_OK && !*reply ? DB_HARD : rc;
}

static const struct admin_change how = {.kind = "institution",
                                        .lock = lock,
                                        .read = db_institution_get,
                                        .must_exist = true,
                                        .change = insert,
                                        .action = "institution.list_entry",
                                        .status = 201};

void post_admin_institutions_CODE_list_entries(struct req *r)
{
    struct db_list_entry_new n = {.credit_code = r->params[0], .created_by = r->who.token_id};
    if (!credit_code_ok(n.credit_code)) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    const struct jfield spec[] = {
        {.name = "list",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 8,
         .one_of = lists,
         .out = &n.list},
        {.name = "reason",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 500,
         .out = &n.reason},
        jfield_date("valid_from", &n.valid_from, true),
        jfield_date("valid_to", &n.valid_to, false),
    };
    jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0]);
    check_period(r, n.valid_from, n.valid_to);
    admin_idempotent(r, &how, n.credit_code, &n, NULL);
}
