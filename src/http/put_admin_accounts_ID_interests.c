/* PUT /v1/admin/accounts/{id}/interests: an admin declares an approver's own interests for the
 * separation of duties — `id_number`, the approver's resident ID number (kept as its keyed hash,
 * shown masked, as an applicant's subject is), and `employer`, their employer's unified social
 * credit code; null or absent clears one.  The review steps then refuse (403 review_own_interest)
 * a claim about the approver, submitted by them, or of their employer.  Only an approver's
 * account has interests (409 otherwise); idempotent by key; audited with before and after. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "claim_json.h"
#include "ops.h"

struct interests {
    long long id;
    const char *id_number, *employer;
    char hashed[SD_SUBJECT_LEN + 1], masked[19];
};

static enum db_rc change(struct req *r, struct db_conn *c, struct admin_write *w,
                         const char *before, char **after, json_t **reply)
{
    const struct interests *p = w->cls;
    return db_account_interests(c, p->id, p->id_number ? p->hashed : NULL,
                                p->id_number ? p->masked : NULL, p->employer);
}

static const struct admin_change how = {.kind = "account",
                                        .lock = account_lock_approver,
                                        .read = account_read,
                                        .change = change,
                                        .must_exist = true,
                                        .action = "account.interests",
                                        .status = 200,
                                        .skip_unchanged = true};

void put_admin_accounts_ID_interests(struct req *r)
{
    struct interests p = {0};
    if (!req_path_id(r, &p.id))
        return;
    const struct jfield spec[] = {
        {.name = "id_number", .kind = JF_STRING, .min = 18, .max = 18, .out = &p.id_number},
        {.name = "employer",
         .kind = JF_STRING,
         .min = 18,
         .max = 18,
         .format = &cj_credit_code_format,
         .out = &p.employer},
    };
    jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0]);
    if (p.id_number && !applicant_subject(r, "id_number", p.id_number, p.hashed, p.masked))
        p.id_number = NULL;
    char id[24];
    snprintf(id, sizeof id, "%lld", p.id);
    admin_idempotent(r, &how, id, &p, NULL);
}
