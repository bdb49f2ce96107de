/* GET /v1/profile: the applicant's own profile, ID number and phone masked, with the payee account
 * payments use (masked: the imported one when there is one); ?reveal=true adds ID number and
 * phone in full, and the reveal is written to the audit log. */
#include <stdio.h>

#include "claims.h"
#include "payee_db.h"

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
    json_t *profile = json_loads(row.profile_json, 0, NULL), *payee = NULL;
    char id_hash[SD_PII_HASH_HEX];
    snprintf(id_hash, sizeof id_hash, "\\x%s", r->who.subject); /* the subject is the hash */
    rc = db_payee_account_shown(db, id_hash, &payee);
    if (rc == DB_OK && (!profile || json_object_update(profile, payee) != 0))
        rc = DB_HARD;
    json_decref(payee);
    if (reveal && rc == DB_OK)
        rc = reveal_person(r, db, row.id, row.id_sealed, row.phone_sealed, profile);
    db_person_free(&row);
    if (rc != DB_OK) {
        json_decref(profile);
        reply_db(r, rc);
        return;
    }
    reply_json(r, 200, profile);
}
