/* PATCH /v1/admin/accounts/{id}: an admin changes an account's name, regions (approvers only,
 * never none) or status (active / disabled).  Role and subject are fixed once created: sending
 * them is a 400 naming the field.  Takes effect on the account's tokens at their next request;
 * idempotent by key; audited with before and after (a PATCH that changes nothing writes no audit
 * row and leaves updated_at). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "ops.h"

static const char *const statuses[] = {"active", "disabled", NULL};

struct patch {
    long long id;
    const char *name, *status, *regions_csv; /* NULL: unchanged */
    char csv[SD_MAX_REGIONS * (SD_REGION_LEN + 1) + 1];
};

static enum db_rc change(struct req *r, struct db_conn *c, struct admin_write *w,
                         const char *before, char **after, json_t **reply)
{
    const struct patch *p = w->cls;
    return db_account_update(c, p->id, p->name, p->regions_csv, p->status);
}

static const struct admin_change how = {.kind = "account",
                                        .lock = account_lock,
                                        .read = account_read,
                                        .change = change,
                                        .action = "account.update",
                                        .status = 200,
                                        .skip_unchanged = true};

void patch_admin_accounts_ID(struct req *r)
{
    struct patch p = {0};
    if (!req_path_id(r, &p.id))
        return;
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    /* The role never changes, so reading it outside the write's transaction is safe. */
    char role[16], state[16];
    enum db_rc rc = db_account_role(db, p.id, role, state);
    if (reply_failed(r, rc))
        return;
    const json_t *regions = NULL;
    bool has_regions = false;
    const struct jfield spec[] = {
        {.name = "name", .kind = JF_STRING, .min = 1, .max = 100, .out = &p.name},
        jfield_regions("regions", &regions, 0, &has_regions),
        {.name = "status",
         .kind = JF_STRING,
         .min = 1,
         .max = 16,
         .one_of = statuses,
         .out = &p.status},
    };
    /* Role and subject are fixed once created: a 400 that says so, rather than "unknown". */
    json_t *body = json_copy(r->json);
    const char *fixed[] = {"role", "subject"};
    for (size_t i = 0; i < 2; i++) {
        if (!json_object_get(body, fixed[i]))
            continue;
        json_object_del(body, fixed[i]);
        req_field_error(r, fixed[i], SD_E_FIELD_UNKNOWN, "创建后不可修改", "fixed once created");
    }
    jspec_body(r, body, spec, sizeof spec / sizeof spec[0]);
    json_decref(body);
    if (has_regions && regions) {
        enum sd_role rv = 0;
        bool approver = sd_role_parse(role, &rv) && sd_role_regional(rv);
        check_approver_regions(r, approver, json_array_size(regions) > 0);
        if (approver && json_array_size(regions) > 0) {
            rc = check_regions_exist(r, db, regions, p.csv, sizeof p.csv);
            if (rc != DB_OK) {
                reply_db(r, rc);
                return;
            }
        }
        p.regions_csv = p.csv;
    }
    char id[24];
    snprintf(id, sizeof id, "%lld", p.id);
    admin_idempotent(r, &how, id, &p, NULL);
}
