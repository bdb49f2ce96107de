/* A class's life after filing (class.h, src/rules/domain/WORKFLOW.md "Class"): the rule
 * module's state machine decides whether a step may happen; the step is written with its
 * timeline entry, the next step's deadline (承诺时限) and an audit row.  A rejected or
 * cancelled class frees its trainees' places (class_state_live, sql/0021_classes.sql). */
#include "class.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim.h" /* review_due: a deadline on the working-day calendar */

enum db_rc class_step_refuse(const struct flow_caller *c, enum sr_transition_status st,
                             const struct db_class_locked *k, struct flow_result *res)
{
    char detail[96];
    bool en = c->errors->lang_en;
    switch (st) {
    case SR_TRANSITION_OK:
        return DB_OK;
    case SR_TRANSITION_TOO_EARLY:
        snprintf(detail, sizeof detail, en ? "the class starts on %s" : "开班日期为 %s，尚未开班",
                 k->start_date);
        return flow_refuse(res, SD_E_CLASS_NOT_STARTED, detail,
                           json_pack("{s:s}", "start_date", k->start_date));
    case SR_TRANSITION_TOO_LATE:
        snprintf(detail, sizeof detail, en ? "the class started on %s" : "班级已于 %s 开班",
                 k->start_date);
        return flow_refuse(res, SD_E_CLASS_ALREADY_STARTED, detail,
                           json_pack("{s:s}", "start_date", k->start_date));
    case SR_TRANSITION_ROLE_NOT_ALLOWED:
        return flow_refuse(res, SD_E_FORBIDDEN, NULL, NULL);
    default:
        snprintf(detail, sizeof detail, en ? "the class is %s" : "班级当前状态为 %s", k->state);
        return flow_refuse(res, SD_E_CLASS_STATE_CONFLICT, detail,
                           json_pack("{s:s}", "state", k->state));
    }
}

/* The next step's deadline: the start date once accepted (the institution starts the class
 * then), completion_days working days after the end date once running, the review's working
 * days from today once assessed (an approver closes the class); none otherwise. */
static enum db_rc next_deadline(const struct flow_caller *c, struct db_conn *db,
                                enum sr_class_state to, const struct db_class_locked *k,
                                int completion_days, char due[SR_DATE_STRLEN], bool *estimated,
                                bool *has)
{
    *has = false;
    *estimated = false;
    if (to == SR_CLASS_ACCEPTED) {
        snprintf(due, SR_DATE_STRLEN, "%.10s", k->start_date);
        *has = true;
        return DB_OK;
    }
    if (to == SR_CLASS_ASSESSED) {
        *has = true;
        return review_due(db, c->today, c->review_days, due, estimated);
    }
    int32_t end;
    if (to != SR_CLASS_RUNNING)
        return DB_OK;
    if (!sr_day_parse(k->end_date, &end))
        return DB_HARD;
    *has = true;
    return review_due(db, end, completion_days, due, estimated);
}

enum db_rc class_read_audited(const struct flow_caller *c, struct db_conn *db, long long id,
                              const char *action, const char *before, json_t **body)
{
    struct db_class_view v = {0};
    enum db_rc rc = db_class_get(db, id, &v);
    *body = rc == DB_OK ? json_loads(v.json, 0, NULL) : NULL;
    char idt[24];
    snprintf(idt, sizeof idt, "%lld", id);
    if (rc == DB_OK)
        rc = *body ? db_audit(db, &(struct db_audit_row){.actor = c->who->token_id,
                                                         .action = action,
                                                         .object_kind = "class",
                                                         .object_id = idt,
                                                         .before = before,
                                                         .after = v.json,
                                                         .request_id = c->request_id})
                   : DB_HARD;
    db_class_view_free(&v);
    if (rc != DB_OK) {
        json_decref(*body);
        *body = NULL;
    }
    return rc;
}

enum db_rc class_step_write(const struct flow_caller *c, struct db_conn *db, long long id,
                            const struct class_step_in *in, const struct db_class_locked *k,
                            enum sr_class_state to, const char *detail_text,
                            struct flow_result *res)
{
    char due[SR_DATE_STRLEN] = "";
    bool estimated, has;
    enum db_rc rc = next_deadline(c, db, to, k, in->completion_days, due, &estimated, &has);
    if (rc != DB_OK)
        return flow_db(res, rc);
    json_t *detail = in->reason_codes ? json_pack("{s:O}", "reason_codes", in->reason_codes) : NULL;
    char *detail_json = detail        ? json_dumps(detail, JSON_COMPACT)
                        : detail_text ? strdup(detail_text)
                                      : NULL;
    json_decref(detail);
    const char *action = sr_class_action_name(in->action);
    const struct db_class_step s = {.class_id = id,
                                    .from = k->state,
                                    .to = sr_class_state_name(to),
                                    .action = action,
                                    .reason = in->reason,
                                    .detail_json = detail_json,
                                    .deadline = has ? due : NULL,
                                    .deadline_estimated = estimated,
                                    .actor = c->who->token_id,
                                    .actor_role = flow_role(c),
                                    .request_id = c->request_id};
    rc = db_class_step(db, &s);
    free(detail_json);
    if (rc != DB_OK)
        return flow_db(res, rc);
    char audit_action[40], before[48];
    snprintf(audit_action, sizeof audit_action, "class.%s", action);
    snprintf(before, sizeof before, "{\"state\": \"%s\"}", k->state);
    json_t *body = NULL;
    rc = class_read_audited(c, db, id, audit_action, before, &body);
    if (rc != DB_OK)
        return flow_db(res, rc);
    return flow_done(res, 200, body);
}

enum db_rc class_lock_visible(const struct flow_caller *c, struct db_conn *db, long long id,
                              bool institution_only, struct db_class_locked *k,
                              struct flow_result *res)
{
    enum db_rc rc = db_class_lock(db, id, k);
    if (rc == DB_OK && ((institution_only && c->who->role != SD_ROLE_INSTITUTION) ||
                        !class_visible(c->who, k->institution, k->region, k->region_parent)))
        rc = DB_NOT_FOUND;
    if (rc == DB_NOT_FOUND)
        return flow_refuse(res, SD_E_NOT_FOUND, NULL, NULL);
    return rc == DB_OK ? DB_OK : flow_db(res, rc);
}

enum db_rc class_step_lock(const struct flow_caller *c, struct db_conn *db, long long id,
                           enum sr_class_action action, struct db_class_locked *k,
                           enum sr_class_state *to, struct flow_result *res)
{
    enum db_rc rc = class_lock_visible(c, db, id, false, k, res);
    if (rc != DB_OK)
        return rc;
    /* separation of duties: no approver decides a class their employer filed */
    bool employs = false;
    if (c->who->role == SD_ROLE_APPROVER &&
        (rc = db_account_employs(db, c->who->token_id, k->institution, &employs)) != DB_OK)
        return flow_db(res, rc);
    if (employs)
        return flow_refuse(res, SD_E_REVIEW_OWN_INTEREST, NULL, NULL);
    enum sr_class_state from;
    enum sr_role role;
    int32_t start;
    if (!sr_class_state_parse(k->state, &from) || !sr_day_parse(k->start_date, &start) ||
        !sd_role_rule(c->who->role, &role))
        return flow_db(res, DB_HARD);
    return class_step_refuse(c, sr_class_transition(from, action, role, c->today, start, to), k,
                             res);
}

enum db_rc flow_class_step(const struct flow_caller *c, struct db_conn *db,
                           const struct flow_args *args, struct flow_result *res)
{
    long long id = args->id;
    const struct class_step_in *in = args->in.step;
    struct db_class_locked k;
    enum sr_class_state to;
    enum db_rc rc = class_step_lock(c, db, id, in->action, &k, &to, res);
    return rc == DB_OK ? class_step_write(c, db, id, in, &k, to, NULL, res) : rc;
}
