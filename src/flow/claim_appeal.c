/* Appeal (复议) of a rejected claim (claim.h; issue 13 "Decisions"; 行政复议法第二十条): the
 * owner appeals once, within the period, naming the rejection; the claim waits in the approvers'
 * queue as appealed until another approver than the one who rejected it decides
 * (claim_review.c).  And the appeal as the owner sees it on the claim. */
#include "claim.h"

#include "review_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum db_rc flow_claim_appeal(const struct flow_caller *c, struct db_conn *db,
                             const struct flow_args *args, struct flow_result *res)
{
    const struct claim_appeal_in *in = args->in.appeal;
    struct db_claim_locked k;
    struct db_claim_appeal_facts f;
    char today[SR_DATE_STRLEN], due[SR_DATE_STRLEN], *json = NULL, *detail_text = NULL;
    sr_day_format(c->today, today);
    enum db_rc rc = claim_lock_owned(c, db, args->id, &k, res);
    if (rc == DB_OK)
        rc = claim_may(c, &k, SR_CLAIM_APPEAL, res);
    if (rc == DB_OK) {
        rc = db_claim_appeal_facts(db, args->id, c->who->token_id, c->appeal_days, today, &f);
        if (rc != DB_OK)
            rc = flow_db(res, rc);
    }
    if (rc == DB_OK && f.appealed_before) {
        rc = flow_refuse(res, SD_E_CLAIM_ALREADY_APPEALED, NULL, NULL);
    } else if (rc == DB_OK && !f.within) {
        char detail[64];
        snprintf(detail, sizeof detail,
                 c->errors->lang_en ? "the last day was %s" : "申请复议的最后一日为 %s",
                 f.last_day);
        rc = flow_refuse(res, SD_E_APPEAL_PERIOD_PASSED, detail,
                         json_pack("{s:s}", "last_day", f.last_day));
    } else if (rc == DB_OK && in->decision != f.rejection_event) {
        jerr_add(c->errors, "decision", SD_E_APPEAL_DECISION_MISMATCH,
                 "应为该申领时间线上不予通过一步的 id",
                 "must be the id of the claim's rejection on its timeline");
        rc = flow_invalid(res, SD_E_APPEAL_DECISION_MISMATCH, NULL);
    }
    struct db_claim_appeal_step w = {
        .id = args->id, .actor = c->who->token_id, .request_id = c->request_id, .review_due = due};
    if (rc == DB_OK) {
        int days;
        rc = review_days_for(db, "claim", f.policy, k.region, c->review_days, &days);
        if (rc == DB_OK)
            rc = review_due(db, c->today, days, due, &w.review_due_estimated);
        if (rc != DB_OK)
            rc = flow_db(res, rc);
    }
    json_t *detail = rc == DB_OK ? json_pack("{s:I, s:s}", "decision", (json_int_t)in->decision,
                                             "reason", in->reason)
                                 : NULL;
    detail_text = detail ? json_dumps(detail, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    w.detail_json = detail_text;
    if (rc == DB_OK) {
        rc = detail_text ? db_claim_appeal(db, &w, &json) : DB_HARD;
        json_t *claim = rc == DB_OK ? json_loads(json, 0, NULL) : NULL;
        rc = claim ? flow_done(res, 200, claim) : flow_db(res, rc == DB_OK ? DB_HARD : rc);
    }
    json_decref(detail);
    free(detail_text);
    free(json);
    free(k.input_json);
    return rc;
}

/* The day in Asia/Shanghai (UTC+8, no daylight saving) of an RFC 3339 UTC time as the timeline
 * writes it ("2026-12-03T16:30:00Z"), or -1. */
static int32_t shanghai_day(const char *at)
{
    char date[SR_DATE_STRLEN];
    int32_t day;
    if (!at || strlen(at) < 13)
        return -1;
    memcpy(date, at, 10);
    date[10] = '\0';
    if (!sr_day_parse(date, &day))
        return -1;
    return atoi(at + 11) >= 16 ? day + 1 : day;
}

static const char *event_text(const json_t *e, const char *key)
{
    return json_string_value(json_object_get(e, key));
}

json_t *claim_appeal_view(const json_t *claim, int appeal_days, int32_t today)
{
    const json_t *t = json_object_get(claim, "timeline");
    const json_t *rejection = NULL, *appeal = NULL, *decided = NULL;
    size_t i;
    json_t *e;
    json_array_foreach(t, i, e)
    {
        const char *action = event_text(e, "action"), *from = event_text(e, "from_state");
        if (!action)
            continue;
        if (strcmp(action, "reject") == 0 && !appeal)
            rejection = e;
        else if (strcmp(action, "appeal") == 0)
            appeal = e;
        else if (appeal && !decided && from && strcmp(from, "appealed") == 0 &&
                 (strcmp(action, "uphold") == 0 || strcmp(action, "approve") == 0))
            decided = e;
    }
    const char *state = json_string_value(json_object_get(claim, "state"));
    if (!rejection || (!appeal && (!state || strcmp(state, "rejected") != 0)))
        return NULL;
    int32_t rejected = shanghai_day(event_text(rejection, "at"));
    char last[SR_DATE_STRLEN] = "";
    if (rejected >= 0)
        sr_day_format(rejected + appeal_days, last);
    bool possible = !appeal && rejected >= 0 && today <= rejected + appeal_days;
    const char *outcome = !decided                                               ? NULL
                          : strcmp(event_text(decided, "action"), "uphold") == 0 ? "upheld"
                                                                                 : "overturned";
    const char *s = decided    ? "decided"
                    : appeal   ? "appealed"
                    : possible ? "possible"
                               : "period_passed";
    return json_pack("{s:s, s:s?, s:O?, s:O?, s:s?, s:O?}", "stage", s, "last_day",
                     possible ? last : NULL, "filed_at",
                     appeal ? json_object_get(appeal, "at") : NULL, "decided_at",
                     decided ? json_object_get(decided, "at") : NULL, "outcome", outcome, "reason",
                     appeal ? json_object_get(json_object_get(appeal, "detail"), "reason") : NULL);
}
