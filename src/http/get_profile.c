/* GET /v1/profile: the applicant's own profile, ID number and phone masked; ?reveal=true adds
 * them in full, and the reveal is written to the audit log. */
#include <stdlib.h>

#include "claims.h"

void get_profile(struct req *r)
{
    bool reveal = false;
    if (!reveal_query(r, &reveal))
        return;
    struct db_conn *db = db_thread_conn();
    PGresult *row = NULL;
    enum db_rc rc = db ? db_person_by_owner(db, r->who.subject, &row) : DB_UNAVAILABLE;
    if (rc == DB_NOT_FOUND) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    json_t *profile = json_loads(PQgetvalue(row, 0, DB_PERSON_PROFILE), 0, NULL);
    if (reveal)
        rc = reveal_person(r, db, atoll(PQgetvalue(row, 0, DB_PERSON_ID)),
                           PQgetvalue(row, 0, DB_PERSON_ID_SEALED),
                           PQgetisnull(row, 0, DB_PERSON_PHONE_SEALED)
                               ? ""
                               : PQgetvalue(row, 0, DB_PERSON_PHONE_SEALED),
                           profile);
    PQclear(row);
    if (rc != DB_OK) {
        json_decref(profile);
        reply_db(r, rc);
        return;
    }
    reply_json(r, 200, profile);
}
