/* PUT /v1/admin/institutions/{code}: an admin registers a training institution under its
 * unified social credit code, or updates its name, region and status (normal or suspended; a
 * suspended institution cannot file classes).  201 on create, 200 on update; idempotent by
 * key; audited with before and after. */
#include <stdlib.h>

#include "handlers.h"
#include "ops.h"

static const char *const statuses[] = {"normal", "suspended", NULL};

struct put {
    const char *code, *name, *region, *status;
};

static enum db_rc put(struct req *r, struct db_conn *c, void *cls, unsigned *status, json_t **reply)
{
    struct put *p = cls;
    char *before = NULL, *after = NULL;
    enum db_rc rc = db_institution_lock(c, p->code);
    if (rc == DB_OK) {
        rc = db_institution_get(c, p->code, &before);
        if (rc == DB_NOT_FOUND)
            rc = DB_OK;
    }
    if (rc == DB_OK)
        rc = db_institution_put(c, p->code, p->name, p->region, p->status);
    if (rc == DB_OK)
        rc = db_institution_get(c, p->code, &after);
    if (rc == DB_OK) {
        rc = req_audit(r, c, before ? "institution.update" : "institution.create", "institution",
                       p->code, before, after);
    }
    if (rc == DB_OK) {
        *status = before ? 200 : 201;
        *reply = json_loads(after, 0, NULL);
    }
    free(before);
    free(after);
    return rc;
}

void put_admin_institutions_CODE(struct req *r)
{
    struct put p = {.code = r->params[0], .status = "normal"};
    if (!credit_code_ok(p.code)) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    const struct jfield spec[] = {
        {.name = "name", .kind = JF_STRING, .required = true, .min = 1, .max = 100, .out = &p.name},
        {.name = "region",
         .kind = JF_STRING,
         .required = true,
         .min = 6,
         .max = SD_REGION_LEN,
         .format = &region_code_format,
         .out = &p.region},
        {.name = "status",
         .kind = JF_STRING,
         .min = 1,
         .max = 16,
         .one_of = statuses,
         .out = &p.status},
    };
    jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0]);
    struct db_conn *db = db_thread_conn();
    if (!db) {
        reply_problem(r, SD_E_DB_UNAVAILABLE, NULL);
        return;
    }
    if (p.region) {
        enum db_rc rc = check_region_exists(r, db, "region", p.region);
        if (rc != DB_OK) {
            reply_db(r, rc);
            return;
        }
    }
    if (reply_field_errors(r, SD_E_VALIDATION_FAILED))
        return;
    idempotent(r, put, &p);
}
