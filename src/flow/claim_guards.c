/* What a submission checks beside the rule module, on what the database holds: the claim's
 * occupation is in the reference list (a problem with the others), and its certificate is paid
 * once (a 409) (claim.h). */
#include "claim.h"

void claim_occupation_known(const struct db_claim_context *ctx, struct sr_result *res)
{
    if (!ctx->occupation_known)
        sr_result_add_problem(res, SR_P_OCCUPATION_UNKNOWN, "claim.occupation");
}

enum db_rc claim_certificate_bind(struct db_conn *db, long long claim_id, long long person_id,
                                  const struct sr_certificate *cert, struct flow_result *res)
{
    if (!cert->number[0] || cert->kind == SR_CERT_NONE)
        return DB_OK; /* a claim without a certificate (training dates, a class) */
    if (claim_id <= 0)
        return flow_db(res, DB_HARD);
    enum db_certificate_outcome outcome;
    enum db_rc rc = db_certificate_bind(db, sr_cert_kind_name(cert->kind), cert->number, person_id,
                                        claim_id, &outcome);
    if (rc != DB_OK)
        return flow_db(res, rc);
    switch (outcome) {
    case DB_CERTIFICATE_BOUND:
        return DB_OK;
    case DB_CERTIFICATE_HELD_BY_OTHER:
        return flow_refuse(res, SD_E_CERTIFICATE_HELD_BY_OTHER, NULL, NULL);
    case DB_CERTIFICATE_USED:
        break;
    }
    return flow_refuse(res, SD_E_CERTIFICATE_USED, NULL, NULL);
}
