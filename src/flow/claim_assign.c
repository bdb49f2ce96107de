/* Who holds a claim in review (claim.h): the approver who took it gives it back to the queue;
 * a supervisor (an approver of the claim's city) gives it to another approver of the region,
 * taking it from the queue on their behalf when nobody holds it.  The hold's expiry stays. */
#include "claim.h"

#include "review_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Is the claim held by the caller now: in review (or appealed, 复议), an assignment not expired,
 * not another's? */
static bool held_by_caller(const struct db_claim_locked *k)
{
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    return (strcmp(k->state, "in_review") == 0 || strcmp(k->state, "appealed") == 0) &&
           !k->assigned_other && k->assigned_until[0] && strcmp(k->assigned_until, now) > 0;
}

static enum db_rc write_step(struct db_conn *db, const struct db_claim_assign_step *w,
                             struct flow_result *res)
{
    char *json = NULL;
    enum db_rc rc = db_claim_assign(db, w, &json);
    json_t *claim = rc == DB_OK ? json_loads(json, 0, NULL) : NULL;
    free(json);
    if (!claim)
        return flow_db(res, rc == DB_OK ? DB_HARD : rc);
    return flow_done(res, 200, claim);
}

enum db_rc flow_claim_release(const struct flow_caller *c, struct db_conn *db,
                              const struct flow_args *args, struct flow_result *res)
{
    struct db_claim_locked k;
    memset(&k, 0, sizeof k);
    enum db_rc rc = claim_lock_approver(c, db, args->id, &k, res);
    free(k.input_json);
    if (rc != DB_OK)
        return rc;
    if (!held_by_caller(&k))
        return flow_refuse(res, SD_E_CLAIM_NOT_HELD, NULL, NULL);
    const struct db_claim_assign_step w = {.id = args->id,
                                           .from_state = k.state,
                                           .actor = c->who->token_id,
                                           .request_id = c->request_id,
                                           .action = "release",
                                           .reason = args->in.reason};
    return write_step(db, &w, res);
}

enum db_rc flow_claim_assign(const struct flow_caller *c, struct db_conn *db,
                             const struct flow_args *args, struct flow_result *res)
{
    const struct claim_assign_in *in = args->in.assign;
    struct db_claim_locked k;
    memset(&k, 0, sizeof k);
    enum db_rc rc = claim_lock_approver(c, db, args->id, &k, res);
    free(k.input_json);
    if (rc != DB_OK)
        return rc;
    /* a supervisor acts for the claim's city (or the region itself when it is a city) */
    const char *city = k.region_parent[0] ? k.region_parent : k.region;
    if (!claim_visible(c->who, k.owner_role, k.owner_subject, city, "", false))
        return flow_refuse(res, SD_E_ASSIGN_NOT_SUPERVISOR, NULL, NULL);
    if (strcmp(k.state, "in_review") != 0) {
        rc = claim_may(c, &k, SR_CLAIM_TAKE, res); /* from the queue, on their behalf */
        if (rc != DB_OK)
            return rc;
    }
    bool ok = false;
    rc = db_claim_assignee_ok(db, in->approver_token_id, k.region, k.region_parent, &ok);
    if (rc != DB_OK)
        return flow_db(res, rc);
    if (!ok)
        return flow_refuse(res, SD_E_ASSIGNEE_NOT_APPROVER, NULL, NULL);
    if (strcmp(k.state, "appealed") == 0) { /* 复议: not to the approver who rejected it */
        struct db_claim_appeal_facts f;
        char today[SR_DATE_STRLEN];
        sr_day_format(c->today, today);
        rc = db_claim_appeal_facts(db, args->id, in->approver_token_id, c->appeal_days, today, &f);
        if (rc != DB_OK)
            return flow_db(res, rc);
        if (f.rejected_by_actor)
            return flow_refuse(res, SD_E_APPEAL_ASSIGNEE_REJECTED, NULL, NULL);
    }
    json_t *detail = json_pack("{s:I}", "approver_token_id", (json_int_t)in->approver_token_id);
    char *detail_text = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
    json_decref(detail);
    const struct db_claim_assign_step w = {.id = args->id,
                                           .from_state = k.state,
                                           .holder = in->approver_token_id,
                                           .actor = c->who->token_id,
                                           .request_id = c->request_id,
                                           .action = "assign",
                                           .assign_minutes = in->assign_minutes,
                                           .detail_json = detail_text};
    rc = detail_text ? write_step(db, &w, res) : flow_db(res, DB_HARD);
    free(detail_text);
    return rc;
}
