/* An approver's steps on a claim (claims.h): POST /v1/claims/{id}/take, /approve, /reject,
 * /return and /uphold (an appeal's rejection stands) share this body — for an approval the new
 * amount the approver confirms (when judged again it changed), for a rejection the reason codes and
 * the reason in words, for a return the complete list of what to fix — and run flow_claim_review
 * under the Idempotency-Key. */
#include <stdio.h>
#include <string.h>

#include "claims.h"
#include "review_job_db.h"

/* Why an approver rejects a claim; the reason in words says the rest (api/openapi.yaml,
 * ClaimRejectReason). */
const char *const claim_reject_codes[] = {
    "not_eligible",           /* 不符合补贴条件 */
    "documents_false",        /* 材料不实 */
    "commitment_false",       /* 承诺不实（告知承诺制） */
    "duplicate",              /* 重复申领 */
    "certificate_invalid",    /* 证书无效或与记录不符 */
    "not_insured",            /* 参保记录不符 */
    "training_not_completed", /* 培训未完成或考勤不足 */
    "other",                  /* 其他（见说明） */
    NULL,
};

struct jfield jfield_decision_action(const char **out)
{
    static const char *const actions[] = {"approve", "reject", NULL};
    return (struct jfield){.name = "action",
                           .kind = JF_STRING,
                           .required = true,
                           .min = 1,
                           .max = 16,
                           .one_of = actions,
                           .out = out};
}

/* The job as who may read it sees it: DB_NOT_FOUND for anyone else. */
enum db_rc review_job_read(struct req *r, struct db_conn *db, long long id, char **json)
{
    char regions[SD_MAX_REGIONS * (SD_REGION_LEN + 1) + 1];
    principal_regions_csv(&r->who, regions, sizeof regions);
    return db_review_job_get(db, id, r->who.token_id, regions, json);
}

void decision_reasons_check(struct req *r, const char *action, const char *reason,
                            const json_t *codes)
{
    bool reject = action && strcmp(action, "reject") == 0;
    if (reject && !reason)
        req_field_error(r, "reason", SD_E_FIELD_REQUIRED, "不予通过须说明理由",
                        "a rejection needs its reason in words");
    if (reject && !codes && !json_object_get(r->json, "reason_codes"))
        req_field_error(r, "reason_codes", SD_E_FIELD_REQUIRED, "不予通过须给出原因代码",
                        "a rejection needs its reason codes");
    if (action && !reject && json_object_get(r->json, "reason_codes"))
        req_field_error(r, "reason_codes", SD_E_FIELD_UNKNOWN, "仅用于不予通过",
                        "only for a rejection");
    if (codes && jerr_count(&r->errors) == 0)
        check_reason_codes(r, codes, claim_reject_codes, "不是已知的不予通过原因",
                           "not a known reason for a rejection");
}

/* Each item of what to fix: {field, reason}, the field a path of the claim's body. */
static void check_fixes(struct req *r, const json_t *fixes)
{
    size_t i;
    json_t *item;
    json_array_foreach(fixes, i, item)
    {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "fixes[%zu]", i);
        const char *field = NULL, *reason = NULL;
        const struct jfield spec[] = {
            {.name = "field",
             .kind = JF_STRING,
             .required = true,
             .min = 1,
             .max = 120,
             .out = &field},
            {.name = "reason",
             .kind = JF_STRING,
             .required = true,
             .min = 1,
             .max = 500,
             .out = &reason},
        };
        jspec_object(&r->errors, prefix, item, spec, sizeof spec / sizeof spec[0]);
    }
}

void claim_review_step(struct req *r, enum sr_claim_action action)
{
    struct call call = req_call(r, flow_claim_review);
    struct claim_review_in in = {.action = action,
                                 .confirm_amount_fen = -1,
                                 .assign_minutes = (int)config.review_assign_minutes};
    call.args.in.review = &in;
    if (!call_path_id(r, &call))
        return;
    bool reject = action == SR_CLAIM_REJECT, give_back = action == SR_CLAIM_RETURN,
         uphold = action == SR_CLAIM_UPHOLD;
    const struct jfield spec[] = {
        jfield_reason(&in.reason, reject || uphold),
        jfield_reason_codes(&in.reason_codes, reject, 8),
        {.name = "fixes",
         .kind = JF_OBJECT_LIST,
         .required = give_back,
         .min = 1,
         .max = 30,
         .out = &in.fixes},
        {.name = "amount_fen",
         .kind = JF_INT,
         .min = 0,
         .max = 1000000000000LL,
         .out = &in.confirm_amount_fen},
    };
    /* the members each step takes: take and uphold only a reason; approve a reason and the
     * amount */
    const struct jfield take[] = {spec[0]}, approve[] = {spec[0], spec[3]},
                        refuse[] = {spec[0], spec[1]}, back[] = {spec[0], spec[2]};
    const struct jfield *use = action == SR_CLAIM_APPROVE ? approve
                               : reject                   ? refuse
                               : give_back                ? back
                                                          : take;
    jspec_body(r, r->json, use, use == take ? 1 : 2);
    if (in.reason_codes && jerr_count(&r->errors) == 0)
        check_reason_codes(r, in.reason_codes, claim_reject_codes, "不是已知的不予通过原因",
                           "not a known reason for a rejection");
    if (in.fixes && jerr_count(&r->errors) == 0)
        check_fixes(r, in.fixes);
    if (jerr_count(&r->errors) > 0) {
        reply_field_errors(r, SD_E_VALIDATION_FAILED);
        return;
    }
    call_keyed(r, &call);
}

void claim_objection_step(struct req *r, enum sr_claim_action action)
{
    struct call call = req_call(r, flow_claim_review);
    struct claim_review_in in = {.action = action, .confirm_amount_fen = -1};
    call.args.in.review = &in;
    if (!call_path_id(r, &call))
        return;
    if (!param_id(r->params[1], &in.objection)) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    const struct jfield spec[] = {jfield_reason(&in.reason, true)};
    if (!jspec_body(r, r->json, spec, 1)) {
        reply_field_errors(r, SD_E_VALIDATION_FAILED);
        return;
    }
    call_keyed(r, &call);
}
