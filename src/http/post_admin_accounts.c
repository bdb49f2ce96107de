/* POST /v1/admin/accounts: an admin creates an account (a person or organisation with a role:
 * applicant, enterprise, institution, approver with its regions, or admin).  An applicant's
 * subject is the person's ID number: checked, kept as its keyed hash, shown masked.  201; a
 * subject that has an account already is a 409; idempotent by key; audited. */
#include <stdio.h>
#include <stdlib.h>

#include "handlers.h"
#include "ops.h"

struct create {
    struct db_account_new n;
    char hashed[SD_SUBJECT_LEN + 1], masked[19]; /* an applicant's subject */
    char csv[SD_MAX_REGIONS * (SD_REGION_LEN + 1) + 1];
};

static enum db_rc create(struct req *r, struct db_conn *c, void *cls, unsigned *status,
                         json_t **reply)
{
    struct create *p = cls;
    long long id = 0;
    char *after = NULL;
    enum db_rc rc = db_account_insert(c, &p->n, &id);
    if (rc == DB_UNIQUE) {
        req_field_error(r, "subject", SD_E_FIELD_CONFLICT, "该主体已属于另一个账户",
                        "belongs to another account");
        reply_problem(r, SD_E_SUBJECT_TAKEN, NULL);
        return DB_ABORT;
    }
    if (rc == DB_OK)
        rc = db_account_get(c, id, &after);
    if (rc == DB_OK) {
        char ids[24];
        snprintf(ids, sizeof ids, "%lld", id);
        rc = req_audit(r, c, "account.create", "account", ids, NULL, after);
    }
    if (rc == DB_OK) {
        *status = 201;
        *reply = json_loads(after, 0, NULL);
    }
    free(after);
    return rc;
}

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
        {.name = "role",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 16,
         .one_of = role_names,
         .out = &p.n.role},
        {.name = "subject",
         .kind = JF_STRING,
         .min = 1,
         .max = SD_SUBJECT_LEN,
         .format = &subject_format,
         .out = &p.n.subject,
         .given = &has_subject},
        {.name = "regions",
         .kind = JF_STRING_LIST,
         .min = 0,
         .max = SD_MAX_REGIONS,
         .format = &region_code_format,
         .out = &regions,
         .given = &has_regions},
    };
    jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0]);
    const json_t *given = json_object_get(r->json, "regions"); /* [] is no regions */
    has_regions = has_regions && (!json_is_array(given) || json_array_size(given) > 0);
    enum sd_role role = 0;
    if (p.n.role && sd_role_parse(p.n.role, &role)) {
        if (role == SD_ROLE_APPROVER && !has_regions)
            req_field_error(r, "regions", SD_E_FIELD_REQUIRED, "审核人员须指定管辖区域",
                            "approvers need at least one region");
        if (role != SD_ROLE_APPROVER && has_regions)
            req_field_error(r, "regions", SD_E_FIELD_CONFLICT, "仅审核人员可指定区域",
                            "only approvers have regions");
        if (!has_subject && role != SD_ROLE_ADMIN && role != SD_ROLE_APPROVER)
            req_field_error(r, "subject", SD_E_FIELD_REQUIRED,
                            "申请人、企业和培训机构的账户须指定主体",
                            "applicant, enterprise and institution accounts need a subject");
        if (role == SD_ROLE_APPLICANT && p.n.subject &&
            applicant_subject(r, "subject", p.n.subject, p.hashed, p.masked)) {
            p.n.subject = p.hashed;
            p.n.subject_masked = p.masked;
        }
    }
    struct db_conn *db = db_thread_conn();
    if (!db) {
        reply_problem(r, SD_E_DB_UNAVAILABLE, NULL);
        return;
    }
    if (regions && json_array_size(regions) > 0) {
        enum db_rc rc = check_regions_exist(r, db, regions, p.csv, sizeof p.csv);
        if (rc != DB_OK) {
            reply_db(r, rc);
            return;
        }
    }
    if (reply_field_errors(r, SD_E_VALIDATION_FAILED))
        return;
    p.n.regions_csv = p.csv;
    idempotent(r, create, &p);
}
