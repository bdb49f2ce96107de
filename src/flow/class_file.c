/* Filing a class (开班备案, class.h): refused for an institution that is suspended or on the
 * black list on the filing day (403 with the entry), for an occupation and level not in the
 * catalog in force, and when filed later than the lead time before its start (with the last
 * day that would have worked); otherwise written with its roster, its deadline for the
 * acceptance (承诺时限) from the working-day calendar, a timeline and an audit row. */
#include "class.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim.h" /* review_due: a deadline on the working-day calendar */

/* Refused on what the registries and the catalog say; DB_OK when the filing may go on. */
static enum db_rc check_context(const struct class_filing *in, const struct db_class_context *x,
                                struct flow_result *res)
{
    if (!x->institution_found)
        return flow_refuse(res, SD_E_INSTITUTION_NOT_REGISTERED, NULL, NULL);
    if (strcmp(x->institution_status, "normal") != 0)
        return flow_refuse(res, SD_E_INSTITUTION_SUSPENDED, NULL,
                           json_pack("{s:s}", "institution_status", x->institution_status));
    if (x->black_entry_json) {
        json_t *entry = json_loads(x->black_entry_json, 0, NULL);
        return entry ? flow_refuse(res, SD_E_INSTITUTION_BLACK_LISTED, NULL,
                                   json_pack("{s:o}", "list_entry", entry))
                     : flow_db(res, DB_HARD);
    }
    if (in->occupation && !x->in_catalog)
        return flow_refuse(res, SD_E_CLASS_NOT_IN_CATALOG, NULL,
                           json_pack("{s:s, s:s, s:o}", "occupation", in->occupation, "level",
                                     in->level, "catalog_id",
                                     x->catalog_id ? json_integer(x->catalog_id) : json_null()));
    return DB_OK;
}

/* Filed later than the lead time: the last day that would have worked. */
static enum db_rc check_lead(const struct flow_caller *c, struct db_conn *db, int lead_days,
                             int32_t start, const char *start_text, struct flow_result *res)
{
    int32_t last;
    enum db_rc rc = calendar_working_days_before(db, start, lead_days, &last);
    if (rc != DB_OK)
        return flow_db(res, rc);
    if (c->today <= last)
        return DB_OK;
    char last_text[SR_DATE_STRLEN], detail[96];
    sr_day_format(last, last_text);
    snprintf(detail, sizeof detail,
             c->errors->lang_en ? "file by %s at the latest" : "最迟应于 %s 备案", last_text);
    return flow_refuse(res, SD_E_CLASS_FILED_TOO_LATE, detail,
                       json_pack("{s:i, s:s, s:s}", "lead_working_days", lead_days,
                                 "last_filing_date", last_text, "start_date", start_text));
}

static enum db_rc file_class(const struct flow_caller *c, struct db_conn *db,
                             const struct class_filing *in, const struct db_class_context *x,
                             struct flow_result *res)
{
    char today[SR_DATE_STRLEN], due[SR_DATE_STRLEN];
    sr_day_format(c->today, today);
    bool estimated = false;
    int days;
    enum db_rc rc =
        review_days_for(db, "class_filing", in->policy, in->region, in->accept_days, &days);
    if (rc == DB_OK)
        rc = review_due(db, c->today, days, due, &estimated);
    if (rc != DB_OK)
        return flow_db(res, rc);
    char *teachers = json_dumps(in->teachers, JSON_COMPACT | JSON_PRESERVE_ORDER);
    const struct db_class_new n = {.institution = c->who->subject,
                                   .policy = in->policy,
                                   .occupation = in->occupation,
                                   .level = in->level,
                                   .project_code = in->project_code,
                                   .project_name = in->project_name,
                                   .catalog_id = in->occupation ? x->catalog_id : 0,
                                   .kind = in->kind,
                                   .region = in->region,
                                   .start_date = in->start_date,
                                   .end_date = in->end_date,
                                   .place = in->place,
                                   .teachers_json = teachers ? teachers : "[]",
                                   .payee = in->payee,
                                   .class_hours = (int)in->class_hours,
                                   .capacity = (int)in->capacity,
                                   .lead_days = x->lead_days,
                                   .filed_on = today,
                                   .deadline = due,
                                   .deadline_estimated = estimated,
                                   .actor = c->who->token_id,
                                   .actor_role = flow_role(c),
                                   .request_id = c->request_id};
    long long id = 0;
    char guard[80];
    rc = teachers ? db_class_insert(db, &n, &id, guard, sizeof guard) : DB_HARD;
    free(teachers);
    if (rc != DB_OK)
        return flow_db(res, rc);
    json_t *counts = NULL;
    const struct class_signal_basis basis = {in->policy, in->kind, in->start_date};
    rc = class_roster_apply(c, db, id, guard, "filed", (int)in->capacity, &basis, &in->roster, res,
                            &counts);
    if (rc != DB_OK)
        return rc;
    json_t *body = NULL;
    rc = class_read_audited(c, db, id, "class.file", NULL, &body);
    if (rc != DB_OK) {
        json_decref(counts);
        return flow_db(res, rc);
    }
    json_object_set_new(body, "roster_counts", counts);
    return flow_done(res, 201, body);
}

enum db_rc flow_class_file(const struct flow_caller *c, struct db_conn *db,
                           const struct flow_args *args, struct flow_result *res)
{
    const struct class_filing *in = args->in.filing;
    if (!sr_policy_set_find(c->policies, in->policy))
        jerr_add(c->errors, "policy", SD_E_FIELD_REFERENCE, "没有该政策", "no such policy");
    if (jerr_count(c->errors) > 0)
        return flow_invalid(res, SD_E_VALIDATION_FAILED, NULL);
    int32_t start;
    if (!sr_day_parse(in->start_date, &start))
        return flow_db(res, DB_HARD); /* checked by the handler */
    int year;
    sr_day_to_ymd(start, &year, NULL, NULL);
    char today[SR_DATE_STRLEN];
    sr_day_format(c->today, today);
    struct db_class_context x;
    enum db_rc rc = db_class_context(db, c->who->subject, in->policy, in->region, year,
                                     in->occupation, in->level, today, &x);
    if (rc != DB_OK)
        return flow_db(res, rc);
    rc = check_context(in, &x, res);
    if (rc == DB_OK)
        rc = check_lead(c, db, x.lead_days, start, in->start_date, res);
    if (rc == DB_OK)
        rc = file_class(c, db, in, &x, res);
    db_class_context_free(&x);
    return rc;
}
