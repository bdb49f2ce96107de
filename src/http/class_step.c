/* The steps of a class's life after filing (classes.h): POST /v1/classes/{id}/accept, /reject,
 * /start and /cancel share this body — an optional reason, and for a rejection the reason codes
 * (at least one) and the reason — and run flow_class_step under the Idempotency-Key. */
#include <stdio.h>
#include <string.h>

#include "classes.h"

/* Why an approver rejects a filing; the free text (reason) says the rest. */
static const char *const reject_codes[] = {
    "incomplete_filing",    /* 备案材料不全 */
    "not_in_plan",          /* 不在年度培训计划内 */
    "teachers_unqualified", /* 师资不符合要求 */
    "place_unsuitable",     /* 培训场地不符合要求 */
    "hours_insufficient",   /* 课时不足 */
    "roster_problem",       /* 花名册有问题 */
    "other",                /* 其他（见说明） */
    NULL,
};

void class_step(struct req *r, enum sr_class_action action)
{
    struct call call = req_call(r, flow_class_step);
    struct class_step_in in = {.action = action,
                               .completion_days = (int)config.class_completion_days};
    call.args.in.step = &in;
    if (!call_path_id(r, &call))
        return;
    bool reject = action == SR_CLASS_REJECT;
    const struct jfield spec[] = {jfield_reason(&in.reason, reject),
                                  jfield_reason_codes(&in.reason_codes, true, 7)};
    jspec_body(r, r->json, spec, reject ? 2 : 1);
    if (in.reason_codes && jerr_count(&r->errors) == 0)
        check_reason_codes(r, in.reason_codes, reject_codes, "不是已知的不予受理原因",
                           "not a known reason for a rejection");
    if (jerr_count(&r->errors) > 0) {
        reply_field_errors(r, SD_E_VALIDATION_FAILED);
        return;
    }
    call_keyed(r, &call);
}
