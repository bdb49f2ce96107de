/* An applicant registers or replaces their profile, and their payee account when given (the
 * imported one, when there is one, stays the one payments use); audited with the masked profile
 * and account (claim.h). */
#include "claim.h"

#include <stdio.h>
#include <stdlib.h>

enum db_rc flow_profile_put(const struct flow_caller *c, struct db_conn *db,
                            const struct flow_args *args, struct flow_result *res)
{
    const struct person_sealed *person = args->in.person;
    struct db_person row;
    enum db_person_put_outcome outcome;
    enum db_rc rc = db_person_put(db, &person->w, &row, &outcome);
    if (rc != DB_OK)
        return flow_db(res, rc);
    switch (outcome) {
    case DB_PERSON_PUT_DONE:
        break;
    case DB_PERSON_PUT_HELD_BY_OTHER:
        return flow_refuse(res, SD_E_PERSON_CLAIMED_BY_OTHER, NULL, NULL);
    case DB_PERSON_PUT_ID_CHANGED:
        jerr_add(c->errors, "id_number", SD_E_FIELD_CONFLICT, "已登记的身份证号不能更改",
                 "the ID number of a registered profile cannot change");
        return flow_invalid(res, SD_E_VALIDATION_FAILED, NULL);
    }
    char id[24];
    snprintf(id, sizeof id, "%lld", row.id);
    json_t *profile = json_loads(row.profile_json, 0, NULL), *payee = NULL;
    db_person_free(&row);
    if (person->payee)
        rc = db_payee_account_put_profile(db, person->payee);
    if (rc == DB_OK)
        rc = db_payee_account_shown(db, person->hash, &payee);
    if (rc == DB_OK && (!profile || json_object_update(profile, payee) != 0))
        rc = DB_HARD;
    json_decref(payee);
    char *after = rc == DB_OK ? json_dumps(profile, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (rc == DB_OK && !after)
        rc = DB_HARD;
    const struct db_audit_row a = {.actor = c->who->token_id,
                                   .action = "person.profile",
                                   .object_kind = "person",
                                   .object_id = id,
                                   .after = after,
                                   .request_id = c->request_id};
    if (rc == DB_OK)
        rc = db_audit(db, &a);
    free(after);
    if (rc != DB_OK) {
        json_decref(profile);
        return flow_db(res, rc);
    }
    return flow_done(res, 200, profile);
}
