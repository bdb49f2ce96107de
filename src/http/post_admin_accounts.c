/* POST /v1/admin/accounts: an admin creates an account (a person or organisation with a role:
 * applicant, enterprise, institution, approver with its regions, or admin).  An applicant's
 * subject is the person's ID number: checked, kept as its keyed hash, shown masked.  201; a
 * subject that has an account already is a 409; idempotent by key; audited. */
#include <stdio.h>
#include <stdlib.h>

#include "accounts.h"
#include "ops.h"

struct create {
    struct db_account_new n;
    char hashed[SD_SUBJECT_LEN + 1], masked[19]; /* an applicant's subject */
    char csv[SD_MAX_REGIONS * (SD_REGION_LEN + 1) + 1];
};

static enum db_rc insert(struct req *r, struct db_conn *c, struct admin_write *w,
                         const char *before, char **after, json_t **reply)
{
    const struct create *p = w->cls;
    long long id = 0;
    enum db_account_insert_outcome outcome;
    enum db_rc rc = db_account_insert(c, &p->n, &id, &outcome);
    if (rc == DB_OK && outcome == DB_ACCOUNT_SUBJECT_TAKEN) {
        req_field_error(r, "subject", SD_E_FIELD_CONFLICT, "该主体已属于另一个账户",
                        "belongs to another account");
        reply_problem(r, SD_E_SUBJECT_TAKEN, NULL);
        return DB_ABORT;
    }
    snprintf(w->id, sizeof w->id, "%lld", id);
    return rc;
}

static const struct admin_change how = {.kind = "account",
                                        .read = account_read,
                                        .change = insert,
                                        .action = "account.create",
                                        .status = 201};

void post_admin_accounts(struct req *r)
{
    struct create p = {0};
    const json_t *regions = NULL;
    bool has_subject = false, has_regions = false;
    const struct jfield spec[] = {
        {.name = "name",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 100,
         .out = &p.n.name},
        jfield_role(&p.n.role),
        jfield_subject(&p.n.subject, &has_subject),
        jfield_regions("regions", &regions, 0, &has_regions),
    };
    jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0]);
    const json_t *given = json_object_get(r->json, "regions"); /* [] is no regions */
    has_regions = has_regions && (!json_is_array(given) || json_array_size(given) > 0);
    enum sd_role role = 0;
    if (p.n.role && sd_role_parse(p.n.role, &role)) {
        check_approver_regions(r, sd_role_regional(role), has_regions);
        if (!has_subject && role != SD_ROLE_ADMIN && !sd_role_regional(role))
            req_field_error(r, "subject", SD_E_FIELD_REQUIRED,
                            "申请人、企业和培训机构的账户须指定主体",
                            "applicant, enterprise and institution accounts need a subject");
        if (role == SD_ROLE_APPLICANT && p.n.subject &&
            applicant_subject(r, "subject", p.n.subject, p.hashed, p.masked)) {
            p.n.subject = p.hashed;
            p.n.subject_masked = p.masked;
        }
    }
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    if (regions && json_array_size(regions) > 0) {
        enum db_rc rc = check_regions_exist(r, db, regions, p.csv, sizeof p.csv);
        if (rc != DB_OK) {
            reply_db(r, rc);
            return;
        }
    }
    p.n.regions_csv = p.csv;
    admin_idempotent(r, &how, NULL, &p, NULL);
}
