/* Public notice (结果公示) of approved claims and objections to them (claim.h; issue 14 "Public
 * notice"; sql/0036_notice.sql).  The notice opens in the approval's own transaction (per_claim)
 * or with the region's monthly list; anyone authenticated may object until its last day; an
 * objection sends the claim back to the region's queue, where an approver dismisses it (the
 * period starts again: the public gets a whole period to see the claim as decided) or upholds it
 * (flow_claim_review); after the period, with no open objection, the close makes it payable. */
#include "claim.h"

#include "notice_db.h"
#include "review_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum db_rc claim_notice_begin(const struct flow_caller *c, struct db_conn *db,
                              const struct claim_notice_step *s, char **json,
                              struct flow_result *res)
{
    struct db_notice_setting_in_force set;
    *json = NULL;
    enum db_rc rc = db_notice_setting_for(db, s->id, &set);
    if (rc != DB_OK)
        return flow_db(res, rc);
    bool approval = strcmp(s->from_state, "approved") == 0;
    if (approval && strcmp(set.mode, "monthly") == 0)
        return DB_OK; /* waits, approved, for the region's list at the month's end */
    char starts[SR_DATE_STRLEN], ends[SR_DATE_STRLEN], period[8] = "";
    bool estimated;
    sr_day_format(c->today, starts);
    rc = review_due(db, c->today, set.days > 0 ? set.days : NOTICE_DAYS_DEFAULT, ends, &estimated);
    if (rc != DB_OK)
        return flow_db(res, rc);
    if (approval) /* a restarted period stays on the list it was published on */
        memcpy(period, starts, 7);
    const struct db_claim_notice_open w = {.id = s->id,
                                           .actor = c->who ? c->who->token_id : 0,
                                           .from_state = s->from_state,
                                           .action = s->action,
                                           .actor_role = c->who ? flow_role(c) : "system",
                                           .reason = s->reason,
                                           .detail_json = s->detail_json,
                                           .request_id = c->request_id,
                                           .starts = starts,
                                           .ends = ends,
                                           .period = period};
    rc = db_claim_notice_open(db, &w, json);
    return rc == DB_OK ? DB_OK : flow_db(res, rc);
}

enum db_rc flow_claim_object(const struct flow_caller *c, struct db_conn *db,
                             const struct flow_args *args, struct flow_result *res)
{
    const struct claim_objection_in *in = args->in.objection;
    struct db_claim_notice_facts k;
    enum db_rc rc = db_claim_notice_lock(db, args->id, &k);
    /* a claim not on a public list is, to whoever objects, no claim at all */
    if (rc == DB_NOT_FOUND ||
        (rc == DB_OK && strcmp(k.state, "in_notice") != 0 && strcmp(k.state, "objected") != 0))
        return flow_refuse(res, SD_E_NOT_FOUND, NULL, NULL);
    if (rc != DB_OK)
        return flow_db(res, rc);
    if (strcmp(k.state, "objected") == 0)
        return flow_refuse(res, SD_E_OBJECTION_ALREADY_OPEN, NULL, NULL);
    int32_t last;
    if (!sr_day_parse(k.notice_ends, &last))
        return flow_db(res, DB_HARD);
    if (c->today > last) {
        char detail[64];
        snprintf(detail, sizeof detail, c->errors->lang_en ? "the last day was %s" : "公示期至 %s",
                 k.notice_ends);
        return flow_refuse(res, SD_E_NOTICE_PERIOD_ENDED, detail,
                           json_pack("{s:s}", "notice_ends", k.notice_ends));
    }
    int days;
    char due[SR_DATE_STRLEN];
    bool estimated = false;
    rc = review_days_for(db, "claim", k.policy, k.region, c->review_days, &days);
    if (rc == DB_OK)
        rc = review_due(db, c->today, days, due, &estimated);
    if (rc != DB_OK)
        return flow_db(res, rc);
    const struct db_objection_file w = {.claim_id = args->id,
                                        .actor = c->who->token_id,
                                        .reason = in->reason,
                                        .evidence = in->evidence,
                                        .request_id = c->request_id,
                                        .review_due = due,
                                        .review_due_estimated = estimated};
    char *json = NULL;
    rc = db_objection_file(db, &w, &json);
    json_t *o = rc == DB_OK ? json_loads(json, 0, NULL) : NULL;
    free(json);
    return o ? flow_done(res, 201, o) : flow_db(res, rc == DB_OK ? DB_HARD : rc);
}

enum db_rc claim_objection_check(const struct flow_caller *c, struct db_conn *db, long long id,
                                 long long objection, struct flow_result *res)
{
    struct db_objection_facts f;
    enum db_rc rc = db_objection_facts(db, objection, id, c->who->token_id, &f);
    if (rc != DB_OK)
        return flow_db(res, rc);
    if (!f.found)
        return flow_refuse(res, SD_E_NOT_FOUND, NULL, NULL);
    if (f.own) /* separation of duties: nobody decides their own objection */
        return flow_refuse(res, SD_E_OBJECTION_OWN, NULL, NULL);
    if (!f.open)
        return flow_refuse(res, SD_E_OBJECTION_NOT_OPEN, NULL, NULL);
    return DB_OK;
}

enum db_rc claim_objection_decide(const struct flow_caller *c, struct db_conn *db, long long id,
                                  long long objection, bool upheld, const char *reason,
                                  struct flow_result *res)
{
    enum db_rc rc = db_objection_decide(db, objection, id, upheld ? "upheld" : "dismissed",
                                        c->who->token_id, reason);
    if (rc == DB_NOT_FOUND)
        return flow_refuse(res, SD_E_OBJECTION_NOT_OPEN, NULL, NULL);
    return rc == DB_OK ? DB_OK : flow_db(res, rc);
}

struct close_batch {
    const char *day, *request_id;
    int n;
};

static enum db_rc close_body(struct db_conn *db, void *cls)
{
    struct close_batch *b = cls;
    return db_notice_close(db, b->day, NOTICE_CLOSE_BATCH, b->request_id, &b->n);
}

enum db_rc notice_close_all(struct db_conn *db, const char *request_id, int32_t today, int *closed)
{
    char day[SR_DATE_STRLEN];
    sr_day_format(today, day);
    *closed = 0;
    for (;;) { /* batches in transactions of their own: no lock held long */
        struct close_batch b = {.day = day, .request_id = request_id};
        enum db_rc rc = db_txn(db, close_body, &b);
        if (rc != DB_OK)
            return rc;
        *closed += b.n;
        if (b.n < NOTICE_CLOSE_BATCH)
            return DB_OK;
    }
}
