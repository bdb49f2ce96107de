/* POST /v1/admin/trade-friction: an admin lists a registered enterprise as affected by trade
 * friction (受经贸摩擦影响企业) from a date, optionally to a date, citing the source document.
 * Listings are never changed; idempotent by key; audited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "ops.h"

static enum db_rc add(struct req *r, struct db_conn *c, void *cls, unsigned *status, json_t **reply)
{
    struct db_trade_friction_new *n = cls;
    char *listing = NULL;
    long long id = 0;
    enum db_rc rc = db_trade_friction_add(c, n, &id, &listing);
    if (rc == DB_OK) {
        char object[24];
        snprintf(object, sizeof object, "%lld", id);
        rc = req_audit(r, c, "trade_friction.add", "trade_friction", object, NULL, listing);
    }
    if (rc == DB_OK) {
        *status = 201;
        *reply = json_loads(listing, 0, NULL);
    }
    free(listing);
    return rc;
}

void post_admin_trade_friction(struct req *r)
{
    struct db_trade_friction_new n = {.created_by = r->who.token_id};
    const struct jfield spec[] = {
        {.name = "credit_code",
         .kind = JF_STRING,
         .required = true,
         .min = 18,
         .max = 18,
         .format = &cj_credit_code_format,
         .out = &n.credit_code},
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
        {.name = "source",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 200,
         .out = &n.source},
    };
    jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0]);
    if (n.valid_from && n.valid_to && strcmp(n.valid_to, n.valid_from) < 0)
        req_field_error(r, "valid_to", SD_E_FIELD_CONFLICT, "不得早于开始日期",
                        "is before valid_from");
    struct db_conn *db = db_thread_conn();
    if (!db) {
        reply_problem(r, SD_E_DB_UNAVAILABLE, NULL);
        return;
    }
    if (n.credit_code) {
        char *json = NULL;
        enum db_rc rc = db_enterprise_get(db, n.credit_code, &json);
        free(json);
        if (rc == DB_NOT_FOUND)
            req_field_error(r, "credit_code", SD_E_FIELD_REFERENCE, "该企业未登记",
                            "no such registered enterprise");
        else if (rc != DB_OK) {
            reply_db(r, rc);
            return;
        }
    }
    if (reply_field_errors(r, SD_E_VALIDATION_FAILED))
        return;
    idempotent(r, add, &n);
}
