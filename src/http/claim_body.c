/* The claim body of POST /v1/claims and PATCH /v1/claims/{id} (claims.h). */
#include "claims.h"

#include <stdlib.h>
#include <string.h>

#define NF(spec) (sizeof(spec) / sizeof((spec)[0]))

void claim_body_parse(struct req *r, const json_t *body, bool create, int32_t today,
                      struct claim_in *in)
{
    memset(in, 0, sizeof *in);
    bool is_enterprise = r->who.role == SD_ROLE_ENTERPRISE;
    struct jfield spec[6] = {
        {.name = "region",
         .kind = JF_STRING,
         .required = true,
         .min = 6,
         .max = 12,
         .format = &region_code_format,
         .out = &in->region},
        {.name = "claim", .kind = JF_OBJECT, .required = true, .out = &in->claim},
        {.name = "employer", .kind = JF_OBJECT, .out = &in->employer},
    };
    size_t n = 3;
    /* only where they apply: an unknown field otherwise */
    if (create && is_enterprise)
        spec[n++] = (struct jfield){
            .name = "employee", .kind = JF_OBJECT, .required = true, .out = &in->employee};
    if (create) {
        spec[n++] = (struct jfield){.name = "submit", .kind = JF_BOOL, .out = &in->submit};
        spec[n++] = (struct jfield){.name = "dry_run", .kind = JF_BOOL, .out = &in->dry_run};
    }
    jspec_object(&r->errors, NULL, body, spec, n);
    if (in->claim) {
        /* the rule module's own checks of the claim object (kinds, levels, dates, amounts) */
        struct cj_request *cr = malloc(sizeof *cr);
        json_t *probe = json_pack("{s:s, s:O}", "region", "330000", "claim", in->claim);
        if (cr && probe)
            cj_parse(&r->errors, probe, today, cr);
        json_decref(probe);
        free(cr);
    }
    const char *payee = json_string_value(json_object_get(in->claim, "payee"));
    const char *own = is_enterprise ? "enterprise" : "person";
    if (payee && strcmp(payee, own) != 0)
        req_field_error(r, "claim.payee", SD_E_FIELD_CONFLICT,
                        is_enterprise ? "企业申领的补贴付给企业" : "个人申领的补贴付给本人",
                        is_enterprise ? "an enterprise's claim is paid to the enterprise"
                                      : "a worker's claim is paid to the worker");
    if (in->employer) {
        const struct jfield espec[] = {
            {.name = "credit_code",
             .kind = JF_STRING,
             .required = !is_enterprise,
             .min = 18,
             .max = 18,
             .format = &cj_credit_code_format,
             .out = &in->employer_code},
            {.name = "ui_months", .kind = JF_INT, .min = 0, .max = 600, .out = &in->ui_months},
            {.name = "hire_date",
             .kind = JF_STRING,
             .min = 10,
             .max = 10,
             .format = &cj_date_format,
             .out = &in->hire_date},
        };
        jspec_object(&r->errors, "employer", in->employer, espec, NF(espec));
        if (is_enterprise && in->employer_code && strcmp(in->employer_code, r->who.subject) != 0)
            req_field_error(r, "employer.credit_code", SD_E_FIELD_CONFLICT,
                            "企业只能为本企业职工申领",
                            "an enterprise claims for its own employees");
    }
    if (in->employee)
        cj_person_parse(&r->errors, "employee", in->employee, today, CJ_PERSON_RECORD,
                        &region_code_format, &in->emp);
}

enum db_rc claim_check_refs(struct req *r, struct db_conn *db, const struct claim_in *in,
                            const char *enterprise, bool *registered)
{
    char names[1 + CJ_PERSON_REGIONS][64];
    const char *fields[1 + CJ_PERSON_REGIONS] = {"region"},
                           *codes[1 + CJ_PERSON_REGIONS] = {in->region};
    size_t n = 1;
    for (int i = 0; in->employee && i < CJ_PERSON_REGIONS; i++, n++) {
        cj_field_name(names[n], sizeof names[n], "employee", cj_person_region_fields[i]);
        fields[n] = names[n];
        codes[n] = in->emp.regions[i];
    }
    char csv[512];
    region_fields_csv(codes, n, csv, sizeof csv);
    json_t *missing = NULL;
    enum db_rc rc = db_claim_refs(db, csv, enterprise, &missing, registered); /* one look-up */
    region_fields_errors(r, fields, codes, n, missing);
    json_decref(missing);
    return rc;
}
