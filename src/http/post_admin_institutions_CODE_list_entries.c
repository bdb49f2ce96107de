/* POST /v1/admin/institutions/{code}/list-entries: an admin puts a training institution on the
 * red or black list (reason, from, optionally to).  A black-listed institution cannot file
 * classes in that period.  Entries are never changed; idempotent by key; audited with the
 * institution before and after. */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "ops.h"

static const char *const lists[] = {"red", "black", NULL};

static enum db_rc add(struct req *r, struct db_conn *c, void *cls, unsigned *status, json_t **reply)
{
    struct db_list_entry_new *n = cls;
    char *before = NULL, *after = NULL, *entry = NULL;
    enum db_rc rc = db_institution_lock(c, n->credit_code);
    if (rc == DB_OK)
        rc = db_institution_get(c, n->credit_code, &before);
    if (rc == DB_NOT_FOUND) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        rc = DB_ABORT;
    }
    if (rc == DB_OK)
        rc = db_institution_entry_add(c, n, &entry);
    if (rc == DB_OK)
        rc = db_institution_get(c, n->credit_code, &after);
    if (rc == DB_OK) {
        rc =
            req_audit(r, c, "institution.list_entry", "institution", n->credit_code, before, after);
    }
    if (rc == DB_OK) {
        *status = 201;
        *reply = json_loads(entry, 0, NULL);
    }
    free(before);
    free(after);
    free(entry);
    return rc;
}

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
        {.name = "valid_from",
         .kind = JF_STRING,
         .required = true,
         .min = 10,
         .max = 10,
         .format = &cj_date_format,
         .out = &n.valid_from},
        {.name = "valid_to",
         .kind = JF_STRING,
         .min = 10,
         .max = 10,
         .format = &cj_date_format,
         .out = &n.valid_to},
    };
    jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0]);
    if (n.valid_from && n.valid_to && strcmp(n.valid_to, n.valid_from) < 0)
        req_field_error(r, "valid_to", SD_E_FIELD_CONFLICT, "不得早于开始日期",
                        "is before valid_from");
    if (reply_field_errors(r, SD_E_VALIDATION_FAILED))
        return;
    idempotent(r, add, &n);
}
