/* POST /v1/admin/trade-friction: an admin lists a registered enterprise as affected by trade
 * friction (受经贸摩擦影响企业) from a date, optionally to a date, citing the source document.
 * Listings are never changed; idempotent by key; audited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "ops.h"

static enum db_rc insert(struct req *r, struct db_conn *c, struct admin_write *w,
                         const char *before, char **after, json_t **reply)
{
    long long id = 0;
    enum db_rc rc = db_trade_friction_add(c, w->cls, &id, after);
    snprintf(w->id, sizeof w->id, "%lld", id);
    return rc;
}

static const struct admin_change how = {
    .kind = "trade_friction", .change = insert, .action = "trade_friction.add", .status = 201};

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
        jfield_date("valid_from", &n.valid_from, true),
        jfield_date("valid_to", &n.valid_to, false),
        jfield_source(&n.source),
    };
    jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0]);
    check_period(r, n.valid_from, n.valid_to);
    struct db_conn *db = req_db(r);
    if (!db)
        return;
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
    admin_idempotent(r, &how, NULL, &n, NULL);
}
