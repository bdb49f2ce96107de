/* GET /v1/profile: the applicant's own profile, ID number and phone masked; ?reveal=true adds
 * them in full, and the reveal is written to the audit log. */
#include "claims.h"

void get_profile(struct req *r)
{
    bool reveal = false;
    if (!reveal_query(r, &reveal))
        return;
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    struct db_person row = {0};
    enum db_rc rc = db_person_by_owner(db, r->who.subject, &row);
    if (rc == DB_NOT_FOUND) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    json_t *profile = json_loads(row.profile_json, 0, NULL);
    if (reveal)
        rc = reveal_person(r, db, row.id, row.id_sealed, row.phone_sealed, profile);
    db_person_free(&row);
    if (rc != DB_OK) {
        json_decref(profile);
        reply_db(r, rc);
        return;
    }
    reply_json(r, 200, profile);
}
