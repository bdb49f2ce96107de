/* POST /v1/classes/{id}/inspections: an approver of the class's region records a process
 * inspection (过程检查) of the running class — {date (from the start date to today), findings,
 * result (ok | problems_found), evidence?} — under the Idempotency-Key; audited; on the
 * timeline.  Another region's class is 404. */
#include "class_attendance_http.h"

struct inspection {
    struct flow_caller caller;
    long long id;
    struct class_inspection_in in;
};

void post_classes_ID_inspections(struct req *r)
{
    struct inspection x = {.caller = req_caller(r)};
    if (!param_id(r->params[0], &x.id)) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    const struct jfield spec[] = {
        jfield_date("date", &x.in.date, true),
        {.name = "findings",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 2000,
         .out = &x.in.findings,
         .lines = true},
        {.name = "result",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 16,
         .one_of = sr_inspection_result_values,
         .out = &x.in.result},
        {.name = "evidence", .kind = JF_STRING, .min = 1, .max = 200, .out = &x.in.evidence},
    };
    jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0]);
    if (jerr_count(&r->errors) > 0) {
        reply_field_errors(r, SD_E_VALIDATION_FAILED);
        return;
    }
    struct call call = {.caller = x.caller,
                        .run = flow_class_inspection_add,
                        .args = {.id = x.id, .in.inspection = &x.in}};
    call_keyed(r, &call);
}
