/* The trainee's record (record.h): read in one statement, shown to the person and to an
 * approver of a region one of its classes or claims is in (or that region's city), and audited
 * for both, as the reveal of a profile is (README "Personal data"). */
#include "trainee_record.h"

#include <stdio.h>
#include <string.h>

/* Is one of the approver's regions among regions ("a,b,c", a class's or claim's region and its
 * parent)? */
static bool approver_involved(const struct sd_principal *who, const char *regions)
{
    for (int i = 0; i < who->nregions; i++) {
        size_t n = strlen(who->regions[i]);
        for (const char *s = regions; s && *s;) {
            const char *end = strchr(s, ',');
            size_t len = end ? (size_t)(end - s) : strlen(s);
            if (len == n && strncmp(s, who->regions[i], n) == 0)
                return true;
            s = end ? end + 1 : NULL;
        }
    }
    return false;
}

enum db_rc flow_person_record(const struct flow_caller *c, struct db_conn *db, long long person_ref,
                              struct flow_result *res)
{
    bool own = c->who->role == SD_ROLE_APPLICANT;
    if (!own && (c->who->role != SD_ROLE_APPROVER || person_ref <= 0))
        return flow_refuse(res, SD_E_NOT_FOUND, NULL, NULL);
    struct db_person_record rec;
    enum db_rc rc = db_person_record(db, own ? 0 : person_ref, own ? c->who->subject : NULL, &rec);
    if (rc == DB_NOT_FOUND)
        return flow_refuse(res, SD_E_NOT_FOUND, NULL, NULL);
    if (rc != DB_OK)
        return flow_db(res, rc);
    if (!own && !approver_involved(c->who, rec.regions)) {
        db_person_record_free(&rec);
        return flow_refuse(res, SD_E_NOT_FOUND, NULL, NULL);
    }
    char pid[24];
    snprintf(pid, sizeof pid, "%lld", rec.person_id);
    rc = db_audit(db, &(struct db_audit_row){.actor = c->who->token_id,
                                             .action = "person.record",
                                             .object_kind = "person",
                                             .object_id = pid,
                                             .request_id = c->request_id});
    json_t *body = rc == DB_OK ? json_loads(rec.json, 0, NULL) : NULL;
    db_person_record_free(&rec);
    if (rc != DB_OK)
        return flow_db(res, rc);
    return body ? flow_done(res, 200, body) : flow_db(res, DB_HARD);
}
