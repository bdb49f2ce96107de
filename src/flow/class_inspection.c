/* Process inspections (过程检查) of a running class by an approver of its region
 * (class_attendance.h): the date, the findings, the result and an evidence reference, on the
 * class's timeline and audited. */
#include "class_attendance.h"

#include <string.h>

enum db_rc flow_class_inspection_add(const struct flow_caller *c, struct db_conn *db,
                                     const struct flow_args *args, struct flow_result *res)
{
    long long id = args->id;
    const struct class_inspection_in *in = args->in.inspection;
    struct db_class_locked k;
    enum db_rc rc = class_lock_running(c, db, id, false, &k, res);
    if (rc != DB_OK)
        return rc;
    char today[SR_DATE_STRLEN];
    sr_day_format(c->today, today);
    if (strcmp(in->date, k.start_date) < 0 || strcmp(in->date, today) > 0) {
        jerr_add(c->errors, "date", SD_E_FIELD_RANGE, "应在开班日期至今天之间",
                 "must be between the class's start date and today");
        return flow_invalid(res, SD_E_VALIDATION_FAILED,
                            json_pack("{s:s, s:s}", "start_date", k.start_date, "today", today));
    }
    json_t *body = NULL;
    rc = db_class_inspection_insert(db,
                                    &(struct db_class_inspection_new){.class_id = id,
                                                                      .day = in->date,
                                                                      .findings = in->findings,
                                                                      .result = in->result,
                                                                      .evidence = in->evidence,
                                                                      .state = k.state,
                                                                      .actor = c->who->token_id,
                                                                      .actor_role = flow_role(c),
                                                                      .request_id = c->request_id},
                                    &body);
    if (rc == DB_OK)
        rc = body ? class_audit_record(c, db, id, "class.inspection", body) : DB_HARD;
    if (rc != DB_OK) {
        json_decref(body);
        return flow_db(res, rc);
    }
    return flow_done(res, 201, body);
}
