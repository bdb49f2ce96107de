/* Sessions of a running class and the trainees' sign-ins (class_attendance.h): a session on a
 * day of the class that overlaps none of its others, and per session the sign-ins of trainees
 * of the live roster within the session's time, each with its method and evidence reference
 * (Ningbo 五(三): the whole class on video).  Every bad row is named at once and nothing is
 * written when anything is wrong. */
#include "class_attendance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void class_id_hash(const struct sd_pii_keys *keys, const char *id_number,
                   char hash[SD_PII_HASH_HEX])
{
    char id[19];
    snprintf(id, sizeof id, "%s", id_number);
    if (id[17] == 'x')
        id[17] = 'X';
    sd_pii_id_hash(keys, id, hash);
}

enum db_rc class_lock_running(const struct flow_caller *c, struct db_conn *db, long long id,
                              bool institution_only, struct db_class_locked *k,
                              struct flow_result *res)
{
    enum db_rc rc = class_lock_visible(c, db, id, institution_only, k, res);
    if (rc != DB_OK || strcmp(k->state, "running") == 0)
        return rc;
    return class_step_refuse(c, SR_TRANSITION_NOT_FROM_STATE, k, res);
}

enum db_rc class_audit_record(const struct flow_caller *c, struct db_conn *db, long long id,
                              const char *action, const json_t *after)
{
    char idt[24], *text = json_dumps(after, JSON_COMPACT);
    snprintf(idt, sizeof idt, "%lld", id);
    enum db_rc rc = text ? db_audit(db, &(struct db_audit_row){.actor = c->who->token_id,
                                                               .action = action,
                                                               .object_kind = "class",
                                                               .object_id = idt,
                                                               .after = text,
                                                               .request_id = c->request_id})
                         : DB_HARD;
    free(text);
    return rc;
}

enum db_rc flow_class_session_add(const struct flow_caller *c, struct db_conn *db,
                                  const struct flow_args *args, struct flow_result *res)
{
    long long id = args->id;
    const struct class_session_in *in = args->in.session;
    struct db_class_locked k;
    enum db_rc rc = class_lock_running(c, db, id, true, &k, res);
    if (rc != DB_OK)
        return rc;
    if (strcmp(in->date, k.start_date) < 0 || strcmp(in->date, k.end_date) > 0) {
        jerr_add(c->errors, "date", SD_E_FIELD_RANGE, "不在本班开班至结业日期之内",
                 "not between the class's start and end dates");
        return flow_invalid(
            res, SD_E_VALIDATION_FAILED,
            json_pack("{s:s, s:s}", "start_date", k.start_date, "end_date", k.end_date));
    }
    const struct db_class_session_new s = {.class_id = id,
                                           .day = in->date,
                                           .starts_at = in->start_time,
                                           .ends_at = in->end_time,
                                           .mode = in->mode,
                                           .topic = in->topic,
                                           .hours = (int)in->hours,
                                           .state = k.state,
                                           .actor = c->who->token_id,
                                           .actor_role = flow_role(c),
                                           .request_id = c->request_id};
    long long sid = 0;
    json_t *clash = NULL, *body = NULL;
    rc = db_class_session_insert(db, &s, &sid, &clash);
    if (rc == DB_OK && clash) {
        char detail[96];
        snprintf(detail, sizeof detail,
                 c->errors->lang_en ? "overlaps session %lld (%s %s-%s)"
                                    : "与第 %lld 号课次（%s %s-%s）时间重叠",
                 (long long)json_integer_value(json_object_get(clash, "id")),
                 json_string_value(json_object_get(clash, "date")),
                 json_string_value(json_object_get(clash, "start_time")),
                 json_string_value(json_object_get(clash, "end_time")));
        return flow_refuse(res, SD_E_CLASS_SESSION_OVERLAP, detail,
                           json_pack("{s:o}", "overlaps", clash));
    }
    if (rc == DB_OK)
        rc = db_class_session_get(db, id, sid, &body);
    if (rc == DB_OK)
        rc = body ? class_audit_record(c, db, id, "class.session", body) : DB_HARD;
    if (rc != DB_OK) {
        json_decref(body);
        return flow_db(res, rc);
    }
    return flow_done(res, 201, body);
}

/* The roster entry of hash in roster [{entry, id_hash, ...}], or -1. */
static json_int_t entry_of(json_t *roster, const char *hash)
{
    size_t i;
    json_t *e;
    json_array_foreach(roster, i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "id_hash")), hash) == 0)
            return json_integer_value(json_object_get(e, "entry"));
    }
    return -1;
}

static bool signed_already(json_t *signed_entries, json_int_t entry)
{
    size_t i;
    json_t *e;
    json_array_foreach(signed_entries, i, e) if (json_integer_value(e) == entry) return true;
    return false;
}

static void row_problem(const struct flow_caller *c, int row, const char *name, enum sd_err code,
                        const char *zh, const char *en)
{
    char field[64];
    snprintf(field, sizeof field, "signins[%d].%s", row, name);
    jerr_add(c->errors, field, code, zh, en);
}

/* Check one row against the session; its {entry, at, method, evidence} into rows when good. */
static void check_signin(const struct flow_caller *c, const struct class_signin *t, json_t *session,
                         json_t *roster, json_t *signed_entries, json_t *rows)
{
    char hash[SD_PII_HASH_HEX], from[16], to[16];
    class_id_hash(c->pii, t->id_number, hash);
    json_int_t entry = entry_of(roster, hash);
    if (entry < 0)
        row_problem(c, t->row, "id_number", SD_E_FIELD_REFERENCE, "不在本班花名册中",
                    "not on the class's roster");
    else if (signed_already(signed_entries, entry))
        row_problem(c, t->row, "id_number", SD_E_FIELD_CONFLICT, "已在本课次签到",
                    "signed in to this session already");
    snprintf(from, sizeof from, "%s:00", json_string_value(json_object_get(session, "start_time")));
    snprintf(to, sizeof to, "%s:00", json_string_value(json_object_get(session, "end_time")));
    const char *day = json_string_value(json_object_get(session, "date"));
    char today[SR_DATE_STRLEN];
    sr_day_format(c->today, today);
    if (strcmp(day, today) > 0)
        row_problem(c, t->row, "time", SD_E_FIELD_RANGE, "课次尚未举行",
                    "the session has not taken place yet");
    else if ((t->date && strcmp(t->date, day) != 0) || strcmp(t->time, from) < 0 ||
             strcmp(t->time, to) > 0) {
        char zh[96], en[96];
        snprintf(zh, sizeof zh, "不在课次时间 %s %.5s-%.5s 之内", day, from, to);
        snprintf(en, sizeof en, "outside the session's time, %s %.5s-%.5s", day, from, to);
        row_problem(c, t->row, "time", SD_E_FIELD_RANGE, zh, en);
    }
    bool online = strcmp(json_string_value(json_object_get(session, "mode")), "online") == 0;
    if (online != (strcmp(t->method, "online_platform") == 0))
        row_problem(c, t->row, "method", SD_E_FIELD_CONFLICT,
                    online ? "在线课次只能以在线学习平台签到" : "面授课次不能以在线学习平台签到",
                    online ? "an online session is signed in on the online platform"
                           : "an in-person session is not signed in on the online platform");
    if (entry >= 0)
        json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:s}", "entry", entry, "at", t->time,
                                              "method", t->method, "evidence", t->evidence));
}

enum db_rc flow_class_signins(const struct flow_caller *c, struct db_conn *db,
                              const struct flow_args *args, struct flow_result *res)
{
    long long id = args->id;
    const struct class_signins_in *in = args->in.signins;
    long long sid = in->session_id;
    struct db_class_locked k;
    enum db_rc rc = class_lock_running(c, db, id, true, &k, res);
    if (rc != DB_OK)
        return rc;
    json_t *session = NULL, *roster = NULL, *signed_entries = NULL, *rows = json_array();
    rc = db_class_session_get(db, id, sid, &session);
    if (rc == DB_NOT_FOUND) {
        json_decref(rows);
        return flow_refuse(res, SD_E_NOT_FOUND, NULL, NULL);
    }
    if (rc == DB_OK)
        rc = db_class_roster_keys(db, id, &roster);
    if (rc == DB_OK)
        rc = db_class_session_signed(db, sid, &signed_entries);
    for (size_t i = 0; rc == DB_OK && i < in->n; i++)
        if (!in->rows[i].bad)
            check_signin(c, &in->rows[i], session, roster, signed_entries, rows);
    json_decref(roster);
    json_decref(signed_entries);
    if (rc == DB_OK && jerr_count(c->errors) > 0) {
        json_decref(rows);
        return flow_invalid(res, SD_E_SIGNINS_INVALID, json_pack("{s:o}", "session", session));
    }
    char *text = rc == DB_OK ? json_dumps(rows, JSON_COMPACT) : NULL;
    json_decref(rows);
    json_decref(session);
    session = NULL;
    if (rc == DB_OK)
        rc = text ? db_class_signins_write(db,
                                           &(struct db_class_signins){.class_id = id,
                                                                      .session_id = sid,
                                                                      .rows_json = text,
                                                                      .state = k.state,
                                                                      .actor = c->who->token_id,
                                                                      .actor_role = flow_role(c),
                                                                      .request_id = c->request_id})
                  : DB_HARD;
    free(text);
    if (rc == DB_OK)
        rc = db_class_session_get(db, id, sid, &session);
    json_t *body = rc == DB_OK
                       ? json_pack("{s:o, s:I}", "session", session, "recorded", (json_int_t)in->n)
                       : NULL;
    if (rc == DB_OK)
        rc = body ? class_audit_record(c, db, id, "class.signin", body) : DB_HARD;
    if (rc != DB_OK) {
        json_decref(body);
        return flow_db(res, rc);
    }
    return flow_done(res, 201, body);
}
