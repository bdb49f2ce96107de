/* An approver's steps on a claim (claim.h): take it from the queue, approve it after judging it
 * again on the database's data as it is now, reject it with reasons, or return it for
 * correction once (最多跑一次: the complete list of what to fix, at most one return). */
#include "claim.h"

#include "review_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum db_rc claim_lock_approver(const struct flow_caller *c, struct db_conn *db, long long id,
                               struct db_claim_locked *k, struct flow_result *res)
{
    enum db_rc rc = db_claim_lock_review(db, id, c->who->token_id, k);
    if (rc == DB_OK &&
        (strcmp(k->state, "draft") == 0 || !claim_visible(c->who, k->owner_role, k->owner_subject,
                                                          k->region, k->region_parent, false)))
        rc = DB_NOT_FOUND;
    if (rc == DB_NOT_FOUND)
        return flow_refuse(res, SD_E_NOT_FOUND, NULL, NULL);
    return rc == DB_OK ? DB_OK : flow_db(res, rc);
}

/* The claim's approver may act on it: an approver of its region, the claim submitted once. */
enum db_rc claim_lock_reviewer(const struct flow_caller *c, struct db_conn *db, long long id,
                               struct db_claim_locked *k, struct flow_result *res)
{
    enum db_rc rc = claim_lock_approver(c, db, id, k, res);
    if (rc != DB_OK)
        return rc;
    if (k->own_interest) /* separation of duties: nobody decides their own or their employer's */
        return flow_refuse(res, SD_E_REVIEW_OWN_INTEREST, NULL, NULL);
    if (strcmp(k->state, "appealed") == 0) { /* 复议: not by the approver who rejected it */
        struct db_claim_appeal_facts f;
        char today[SR_DATE_STRLEN];
        sr_day_format(c->today, today);
        rc = db_claim_appeal_facts(db, id, c->who->token_id, c->appeal_days, today, &f);
        if (rc != DB_OK)
            return flow_db(res, rc);
        if (f.rejected_by_actor)
            return flow_refuse(res, SD_E_APPEAL_SAME_APPROVER, NULL, NULL);
    }
    if (k->assigned_other) {
        char detail[96];
        snprintf(detail, sizeof detail,
                 c->errors->lang_en ? "taken by another approver until %s" : "受理至 %s",
                 k->assigned_until);
        return flow_refuse(res, SD_E_CLAIM_ASSIGNED, detail,
                           json_pack("{s:s}", "assigned_until", k->assigned_until));
    }
    return DB_OK;
}

/* Judge the claim again as a submission of its input now would be, into *decision (the
 * judgement's JSON) and w's amount and catalog: DB_OK when it still passes at the amount
 * submitted, or at a new amount the approver confirmed; else the refusal. */
static enum db_rc judge_again(const struct flow_caller *c, struct db_conn *db, long long id,
                              const struct db_claim_locked *k, const struct claim_review_in *in,
                              json_t **decision, struct db_claim_review_step *w, int *per_year,
                              struct flow_result *res)
{
    json_t *input = json_loads(k->input_json, 0, NULL);
    struct judgement *j = calloc(1, sizeof *j);
    if (!input || !j) {
        json_decref(input);
        free(j);
        return flow_db(res, DB_HARD);
    }
    const struct submission s = {.input = input,
                                 .person_id = k->person_id,
                                 .claim_id = id,
                                 .from_state = k->state,
                                 .owner_role = k->owner_role,
                                 .owner_subject = k->owner_subject,
                                 .submit = true};
    struct claim_in ci;
    claim_input_read(input, &ci);
    const struct sr_policy *policy = NULL;
    enum db_rc rc = claim_judge(c, db, &s, &ci, j, &policy, res);
    if (rc == DB_OK) {
        *decision = cj_result(&j->result);
        employment_trace(&j->employment, *decision);
        long long now = j->result.amount_fen;
        if (!j->result.eligible || jerr_count(c->errors) > 0) {
            /* every problem now, the input's own among them (a field the data no longer
             * accepts) */
            json_t *problems = cj_other_problems(c->errors, &j->result);
            jerr_clear(c->errors);
            rc = flow_refuse(res, SD_E_APPROVAL_ANSWER_CHANGED, NULL,
                             json_pack("{s:o, s:O}", "problems", problems, "decision", *decision));
        } else if (now != k->amount_fen && in->confirm_amount_fen != now) {
            rc = flow_refuse(res, SD_E_APPROVAL_AMOUNT_CHANGED, NULL,
                             json_pack("{s:I, s:I, s:O}", "amount_fen_submitted",
                                       (json_int_t)k->amount_fen, "amount_fen_now", (json_int_t)now,
                                       "decision", *decision));
        } else {
            w->amount_fen = now;
            w->catalog_id = j->result.trace.catalog_used ? j->ctx.catalog_id : 0;
            *per_year = j->result.trace.per_year;
        }
    }
    db_claim_context_free(&j->ctx);
    db_person_free(&j->person);
    free(j);
    json_decref(input);
    return rc;
}

/* An overturned rejection (appealed -> approved) takes its quota place again: the rejection
 * gave it back.  Refused quota_year_exhausted when the year's places are used up since. */
static enum db_rc overturn_quota(struct db_conn *db, long long id, int per_year,
                                 struct flow_result *res)
{
    bool taken = false;
    enum db_rc rc = db_claim_quota_retake(db, id, per_year, &taken);
    if (rc != DB_OK)
        return flow_db(res, rc);
    return taken ? DB_OK : flow_refuse(res, SD_E_QUOTA_YEAR_EXHAUSTED, NULL, NULL);
}

/* The step's state: take from the queue, or re-take one's own (or an expired) assignment of a
 * claim already in review; the others as the state machine says (a second return refused by
 * name). */
static enum db_rc step_to(const struct flow_caller *c, const struct db_claim_locked *k,
                          const struct claim_review_in *in, const char **to,
                          struct flow_result *res)
{
    if (in->action == SR_CLAIM_TAKE && strcmp(k->state, "in_review") == 0) {
        *to = "in_review";
        return DB_OK;
    }
    if (in->action == SR_CLAIM_RETURN && k->returned_before && strcmp(k->state, "in_review") == 0)
        return flow_refuse(res, SD_E_CLAIM_ALREADY_RETURNED, NULL, NULL);
    enum db_rc rc = claim_may(c, k, in->action, res);
    if (rc != DB_OK)
        return rc;
    enum sr_claim_state from, next;
    enum sr_role role;
    if (!sr_claim_state_parse(k->state, &from) || !sd_role_rule(c->who->role, &role) ||
        sr_claim_transition(from, in->action, role, k->returned_before, &next) != SR_TRANSITION_OK)
        return flow_db(res, DB_HARD);
    *to = sr_claim_state_name(next);
    return DB_OK;
}

/* The step's detail on the timeline. */
static json_t *step_detail(const struct claim_review_in *in, json_t *decision)
{
    switch (in->action) {
    case SR_CLAIM_APPROVE:
        return json_incref(decision);
    case SR_CLAIM_REJECT:
        return json_pack("{s:O}", "reason_codes", in->reason_codes);
    case SR_CLAIM_RETURN:
        return json_pack("{s:O}", "fixes", in->fixes);
    case SR_CLAIM_UPHOLD:
        return json_pack("{s:s}", "outcome", "upheld");
    case SR_CLAIM_DISMISS_OBJECTION:
        return json_pack("{s:I, s:s}", "objection", (json_int_t)in->objection, "outcome",
                         "dismissed");
    case SR_CLAIM_UPHOLD_OBJECTION: /* the grant cancelled: a rejection with its own reason */
        return json_pack("{s:I, s:s, s:[s]}", "objection", (json_int_t)in->objection, "outcome",
                         "upheld", "reason_codes", "objection_upheld");
    default:
        return json_pack("{s:i}", "assigned_minutes", in->assign_minutes);
    }
}

/* Write the step: the claim's row with its timeline and audit rows; an objection's decision
 * first; an approval opens the notice period in the same transaction (per_claim), a dismissed
 * objection opens it again.  *json the claim's summary. */
static enum db_rc write_step(const struct flow_caller *c, struct db_conn *db, long long id,
                             const struct claim_review_in *in, const struct db_claim_review_step *w,
                             char **json, struct flow_result *res)
{
    enum db_rc rc = DB_OK;
    bool dismiss = in->action == SR_CLAIM_DISMISS_OBJECTION;
    if (dismiss || in->action == SR_CLAIM_UPHOLD_OBJECTION)
        rc = claim_objection_decide(c, db, id, in->objection, !dismiss, in->reason, res);
    if (rc != DB_OK)
        return rc;
    struct claim_notice_step n = {.id = id,
                                  .from_state = w->from_state,
                                  .action = w->action,
                                  .reason = in->reason,
                                  .detail_json = w->detail_json};
    if (dismiss) {
        rc = claim_notice_begin(c, db, &n, json, res);
        return rc == DB_OK && !*json ? DB_HARD : rc;
    }
    rc = db_claim_review(db, w, json);
    if (rc != DB_OK || in->action != SR_CLAIM_APPROVE)
        return rc;
    char *notice = NULL;
    n.from_state = "approved";
    n.action = "open_notice";
    n.reason = NULL;
    n.detail_json = NULL;
    rc = claim_notice_begin(c, db, &n, &notice, res);
    if (rc == DB_OK && notice) {
        free(*json);
        *json = notice;
    }
    return rc;
}

enum db_rc flow_claim_review(const struct flow_caller *c, struct db_conn *db,
                             const struct flow_args *args, struct flow_result *res)
{
    const struct claim_review_in *in = args->in.review;
    struct db_claim_locked k;
    memset(&k, 0, sizeof k);
    const char *to = NULL;
    enum db_rc rc = claim_lock_reviewer(c, db, args->id, &k, res);
    if (rc == DB_OK)
        rc = step_to(c, &k, in, &to, res);
    if (rc == DB_OK &&
        (in->action == SR_CLAIM_DISMISS_OBJECTION || in->action == SR_CLAIM_UPHOLD_OBJECTION))
        rc = claim_objection_check(c, db, args->id, in->objection, res);
    struct db_claim_review_step w = {.id = args->id,
                                     .from_state = k.state,
                                     .to_state = to,
                                     .action = sr_claim_action_name(in->action),
                                     .reason = in->reason,
                                     .actor = c->who->token_id,
                                     .request_id = c->request_id,
                                     .amount_fen = -1,
                                     /* a take holds the claim; a decision ends the hold */
                                     .assign_minutes =
                                         in->action == SR_CLAIM_TAKE ? in->assign_minutes : 0};
    json_t *decision = NULL;
    int per_year = 0;
    if (rc == DB_OK && in->action == SR_CLAIM_APPROVE)
        rc = judge_again(c, db, args->id, &k, in, &decision, &w, &per_year, res);
    if (rc == DB_OK && in->action == SR_CLAIM_APPROVE && strcmp(k.state, "appealed") == 0)
        rc = overturn_quota(db, args->id, per_year, res);
    json_t *detail = rc == DB_OK ? step_detail(in, decision) : NULL;
    char *detail_text = detail ? json_dumps(detail, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    char *decision_text =
        decision ? json_dumps(decision, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    char *fixes_text = in->fixes ? json_dumps(in->fixes, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    w.detail_json = detail_text;
    w.decision_json = decision_text;
    w.return_fixes_json = in->action == SR_CLAIM_RETURN ? fixes_text : NULL;
    char *json = NULL;
    if (rc == DB_OK) {
        rc = detail_text ? write_step(c, db, args->id, in, &w, &json, res) : DB_HARD;
        json_t *claim = rc == DB_OK ? json_loads(json, 0, NULL) : NULL;
        if (rc == DB_UNIQUE && strcmp(k.state, "appealed") == 0) {
            /* an overturn: a live claim took its "once" place since the rejection */
            rc = flow_refuse(res, SD_E_APPROVAL_ANSWER_CHANGED, NULL, NULL);
        } else if (rc == DB_ABORT) {
            /* refused while writing (an objection decided since): res says why */
        } else if (claim) {
            if (decision) /* an approval: the judgement made again */
                json_object_set(claim, "decision", decision);
            rc = flow_done(res, 200, claim);
        } else {
            rc = flow_db(res, rc == DB_OK ? DB_HARD : rc);
        }
    }
    free(json);
    free(k.input_json);
    free(detail_text);
    free(decision_text);
    free(fixes_text);
    json_decref(detail);
    json_decref(decision);
    return rc;
}
