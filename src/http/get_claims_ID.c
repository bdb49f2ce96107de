/* GET /v1/claims/{id}: one claim with its current decision (amount, every problem, trace,
 * policy and catalog versions) and its timeline.  Its owner, the person an enterprise filed it
 * about, or an approver of its region once it was submitted (a draft is its owner's alone), may
 * read it; anyone else gets 404.  ID number and phone are masked (an enterprise sees the name it
 * sent, never the registered one); ?reveal=true shows them to the person and to approvers, and
 * the reveal is audited.  A finance officer of its region (or city) may read it once approved
 * (to prepare its payment), never revealed.  Its owner sees the appeal (复议) of a rejection:
 * possible until which day, filed, decided with what outcome. */
#include "claims.h"

void get_claims_ID(struct req *r)
{
    long long id;
    bool reveal = false;
    if (!req_path_id(r, &id))
        return;
    if (!reveal_query(r, &reveal))
        return;
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    struct db_claim_view v = {0};
    enum db_rc rc = db_claim_get(db, id, sd_role_name(r->who.role), &v);
    if (rc == DB_OK &&
        !claim_visible(&r->who, v.owner_role, v.owner_subject, v.region, v.region_parent,
                       v.never_submitted) &&
        !claim_about_caller(&r->who, v.person_owner, v.state) &&
        !claim_visible_to_finance(&r->who, v.region, v.region_parent, v.state))
        rc = DB_NOT_FOUND;
    if (rc == DB_NOT_FOUND) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
    } else if (rc != DB_OK) {
        reply_db(r, rc);
    } else if (reveal && (r->who.role == SD_ROLE_ENTERPRISE || r->who.role == SD_ROLE_FINANCE)) {
        reply_problem(r, SD_E_FORBIDDEN, "只有本人和审核人员可以查看完整证件号码");
    } else {
        json_t *claim = json_loads(v.json, 0, NULL);
        if (claim && claim_owned(&r->who, v.owner_role, v.owner_subject)) /* 复议 */
            json_object_set_new(claim, "appeal",
                                claim_appeal_view(claim, (int)config.appeal_days, cj_today()));
        if (reveal)
            rc = reveal_person(r, db, v.person_id, v.id_sealed, v.phone_sealed,
                               json_object_get(claim, "person"));
        if (rc == DB_OK)
            reply_json(r, 200, claim);
        else {
            json_decref(claim);
            reply_db(r, rc);
        }
    }
    db_claim_view_free(&v);
}
