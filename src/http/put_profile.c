/* PUT /v1/profile: an applicant registers or replaces their own profile — name, ID number
 * (validated, kept sealed, never changed once registered), phone, the regions that decide
 * residency and the groups with their evidence.  If an employer registered the same ID number
 * first, the applicant takes that person over.  The ID number must be the caller's own: the one
 * the token's subject is the hash of (422 on id_number otherwise).  Idempotent by key; audited
 * (masked). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_json.h"
#include "claims.h"
#include "payee_body.h"
#include "sr_ids.h"

/* The profile is the caller's own: its ID number is the one the token's subject was made from. */
static void check_own_id(struct req *r, int32_t today, const char *id_number)
{
    if (!id_number || sr_resident_id_check(id_number, today, NULL) != SR_ID_OK)
        return; /* missing or invalid: cj_person_parse named it */
    char id[SR_ID_LEN + 1], hashed[SD_SUBJECT_LEN + 1], masked[19];
    sd_pii_subject(&pii_keys, id_number, id, hashed, masked);
    if (strcmp(hashed, r->who.subject) != 0)
        req_field_error(r, "id_number", SD_E_FIELD_CONFLICT,
                        "须为本账户本人的公民身份号码，不能登记他人的",
                        "must be the resident ID number of this account's own person");
}

/* The card account's holder is the profile's own person: a holder ID number of another person is
 * refused here (a holder name that differs is kept, and readiness says so). */
static void check_own_holder(struct req *r, int32_t today, const char *holder_id)
{
    if (!holder_id || sr_resident_id_check(holder_id, today, NULL) != SR_ID_OK)
        return;
    char id[SR_ID_LEN + 1], hashed[SD_SUBJECT_LEN + 1], masked[19];
    sd_pii_subject(&pii_keys, holder_id, id, hashed, masked);
    if (strcmp(hashed, r->who.subject) != 0)
        req_field_error(r, "payee_account.holder_id_number", SD_E_FIELD_CONFLICT,
                        "社保卡金融账户须为本人账户",
                        "must be the account of this profile's own person");
}

void put_profile(struct req *r)
{
    struct call call = req_call(r, flow_profile_put);
    struct cj_person_in p = {0};
    /* payee_account is the profile's, not the person object's: checked on its own */
    json_t *person = json_copy(r->json);
    const json_t *account = json_object_get(r->json, "payee_account");
    json_object_del(person, "payee_account");
    cj_person_parse(&r->errors, NULL, person, call.caller.today, CJ_PERSON_RECORD,
                    &region_code_format, &p);
    json_decref(person); /* a shallow copy: p's strings are r->json's */
    struct payee_account_in pa = {0};
    if (account && !json_is_null(account)) {
        if (!json_is_object(account))
            req_field_error(r, "payee_account", SD_E_FIELD_TYPE, NULL, NULL);
        else
            payee_body_parse(&r->errors, "payee_account", account, PAYEE_PROFILE, &pa, NULL);
        check_own_holder(r, call.caller.today, pa.holder_id_number);
    }
    check_own_id(r, call.caller.today, p.id_number);
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    enum db_rc rc = person_check_regions(r, db, NULL, &p);
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    if (reply_field_errors(r, SD_E_VALIDATION_FAILED))
        return;
    struct person_sealed sealed = {0};
    person_seal(&pii_keys, &p, r->who.subject, &sealed);
    struct payee_account_sealed ps;
    if (pa.account_number) {
        if (!payee_account_seal(&pii_keys, &pa, sealed.hash, r->who.token_id, &ps)) {
            person_sealed_free(&sealed);
            reply_db(r, DB_HARD);
            return;
        }
        sealed.payee = &ps.w;
    }
    call.args.in.person = &sealed;
    call_keyed(r, &call);
    person_sealed_free(&sealed);
}
