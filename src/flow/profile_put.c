/* An applicant registers or replaces their profile; audited with the masked profile (claim.h). */
#include "claim.h"

#include <stdio.h>

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
    const struct db_audit_row a = {.actor = c->who->token_id,
                                   .action = "person.profile",
                                   .object_kind = "person",
                                   .object_id = id,
                                   .after = row.profile_json,
                                   .request_id = c->request_id};
    rc = db_audit(db, &a);
    json_t *profile = rc == DB_OK ? json_loads(row.profile_json, 0, NULL) : NULL;
    db_person_free(&row);
    if (!profile)
        return flow_db(res, rc == DB_OK ? DB_HARD : rc);
    return flow_done(res, 200, profile);
}
