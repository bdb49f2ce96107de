/* POST /v1/tokens: an admin issues a token.  The secret is in this reply only.  An applicant's
 * subject is the person's ID number: checked, kept as its keyed hash, shown masked.  A subject
 * that belongs to a disabled account gets none (409); the token and its audit row commit
 * together. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "log.h"
#include "ops.h"

/* Roles and subjects/regions must fit together, as the table's CHECKs say. */
static void check_combination(struct req *r, enum sd_role role, bool has_subject, bool has_regions)
{
    check_approver_regions(r, sd_role_regional(role), has_regions);
    if (!has_subject && role != SD_ROLE_ADMIN && !sd_role_regional(role))
        req_field_error(r, "subject", SD_E_FIELD_REQUIRED, "申请人、企业和培训机构的令牌须指定主体",
                        "applicant, enterprise and institution tokens need a subject");
}

struct issue {
    struct req *r;
    struct db_token_new t;
    long long id;
    char expires_at[32];
    json_t *shown; /* the reply without the secret: what the audit row keeps */
};

static enum db_rc issue(struct db_conn *c, void *cls)
{
    struct issue *x = cls;
    if (x->t.subject) {
        char status[16];
        enum db_rc rc =
            db_account_status_by_subject(c, sd_role_name(x->t.role), x->t.subject, status);
        if (rc == DB_OK && strcmp(status, "active") != 0) {
            reply_problem(x->r, SD_E_ACCOUNT_DISABLED, NULL);
            return DB_ABORT;
        }
        if (rc != DB_OK && rc != DB_NOT_FOUND)
            return rc;
    }
    enum db_rc rc = db_token_insert(c, &x->t, &x->id, x->expires_at);
    if (rc != DB_OK)
        return rc;
    json_decref(x->shown);
    x->shown = json_pack(
        "{s:I, s:s, s:s?, s:o, s:s, s:s}", "id", (json_int_t)x->id, "role", sd_role_name(x->t.role),
        "subject", x->t.subject_masked ? x->t.subject_masked : x->t.subject, "regions",
        csv_to_json(x->t.regions_csv), "label", x->t.label, "expires_at", x->expires_at);
    char *after = x->shown ? json_dumps(x->shown, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (!after)
        return DB_HARD;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", x->id);
    rc = req_audit(x->r, c, "token.create", "token", ids, NULL, after);
    free(after);
    return rc;
}

void post_tokens(struct req *r)
{
    const char *role_s = NULL, *subject = NULL, *label = "";
    const json_t *regions = NULL;
    long long ttl_days = 90;
    bool has_subject = false, has_regions = false;
    const struct jfield spec[] = {
        jfield_role(&role_s),
        jfield_subject(&subject, &has_subject),
        jfield_regions("regions", &regions, 1, &has_regions),
        {.name = "label", .kind = JF_STRING, .min = 0, .max = 200, .out = &label},
        {.name = "expires_in_days", .kind = JF_INT, .min = 1, .max = 3650, .out = &ttl_days},
    };
    jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0]);
    enum sd_role role = 0;
    if (role_s && sd_role_parse(role_s, &role))
        check_combination(r, role, has_subject, has_regions);
    char hashed[SD_SUBJECT_LEN + 1], masked[19];
    bool applicant = role == SD_ROLE_APPLICANT && subject &&
                     applicant_subject(r, "subject", subject, hashed, masked);
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    char csv[SD_MAX_REGIONS * (SD_REGION_LEN + 1) + 1] = "";
    if (regions) {
        enum db_rc rc = check_regions_exist(r, db, regions, csv, sizeof csv);
        if (rc != DB_OK) {
            reply_db(r, rc);
            return;
        }
    }
    if (reply_field_errors(r, SD_E_VALIDATION_FAILED))
        return;

    char secret[SD_TOKEN_LEN + 1];
    uint8_t hash[SD_TOKEN_HASH_LEN];
    sd_token_new(&token_key, secret, hash);
    struct issue x = {.r = r,
                      .t = {
                          .hash = hash,
                          .role = role,
                          .subject = applicant ? hashed : subject,
                          .subject_masked = applicant ? masked : NULL,
                          .regions_csv = csv,
                          .label = label,
                          .created_by = r->who.token_id,
                          .ttl_days = (int)ttl_days,
                      }};
    enum db_rc rc = db_txn(db, issue, &x);
    if (rc == DB_OK) {
        log_info("token created",
                 json_pack("{s:s, s:I, s:s, s:I}", "request_id", r->id, "token_id",
                           (json_int_t)x.id, "role", role_s, "by", (json_int_t)r->who.token_id));
        json_object_set_new(x.shown, "token", json_string(secret));
        reply_json(r, 201, x.shown);
        x.shown = NULL;
    } else if (rc != DB_ABORT) {
        reply_db(r, rc);
    }
    json_decref(x.shown);
    sodium_memzero(secret, sizeof secret);
}
