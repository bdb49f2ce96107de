/* What a submission checks beside the rule module, on what the database holds: the claim's
 * occupation is in the reference list (a problem with the others), and its certificate is paid
 * once (a 409). */
#include "claims.h"

#include <string.h>

enum db_rc claim_occupation_known(struct db_conn *c, const char *occupation, struct sr_result *res)
{
    if (!occupation || !occupation[0])
        return DB_OK;
    size_t pos, count = 0;
    enum db_rc rc = db_occupation_missing(c, occupation, &pos, 1, &count);
    if (rc == DB_OK && count > 0)
        sr_result_add_problem(res, SR_P_OCCUPATION_UNKNOWN, "claim.occupation");
    return rc;
}

enum db_rc claim_certificate_bind(struct req *r, struct db_conn *c, const char *claim_json,
                                  long long person_id, const struct sr_certificate *cert)
{
    if (!cert->number[0] || cert->kind == SR_CERT_NONE)
        return DB_OK; /* a claim without a certificate (training dates, a class) */
    json_t *claim = json_loads(claim_json, 0, NULL);
    long long id = json_integer_value(json_object_get(claim, "id"));
    json_decref(claim);
    if (id <= 0)
        return DB_HARD;
    bool held_by_other = false;
    enum db_rc rc = db_certificate_bind(c, sr_cert_kind_name(cert->kind), cert->number, person_id,
                                        id, &held_by_other);
    if (rc == DB_OK && held_by_other) {
        reply_problem(r, SD_E_CERTIFICATE_HELD_BY_OTHER, NULL);
        return DB_ABORT;
    }
    if (rc == DB_UNIQUE && strcmp(db_last_constraint(c), "claim_certificate_once") == 0) {
        reply_problem(r, SD_E_CERTIFICATE_USED, NULL);
        return DB_ABORT;
    }
    return rc;
}
