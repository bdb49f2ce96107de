/* POST /v1/classes/{id}/sessions: the class's institution records a session of the running
 * class — {date, start_time, end_time (HH:MM, after the start), mode (in_person | online),
 * hours (the class hours it counts for), topic?} — on a day of the class that overlaps none of
 * its other sessions (409 class_session_overlap).  Idempotency-Key; audited; on the timeline. */
#include <string.h>

#include "class_attendance_http.h"

struct session {
    struct flow_caller caller;
    long long id;
    struct class_session_in in;
};

void post_classes_ID_sessions(struct req *r)
{
    struct session x = {.caller = req_caller(r)};
    if (!param_id(r->params[0], &x.id)) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    const struct jfield spec[] = {
        jfield_date("date", &x.in.date, true),
        {.name = "start_time",
         .kind = JF_STRING,
         .required = true,
         .min = 5,
         .max = 5,
         .format = &class_time_format,
         .out = &x.in.start_time},
        {.name = "end_time",
         .kind = JF_STRING,
         .required = true,
         .min = 5,
         .max = 5,
         .format = &class_time_format,
         .out = &x.in.end_time},
        {.name = "mode",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 16,
         .one_of = sr_class_session_mode_values,
         .out = &x.in.mode},
        {.name = "hours",
         .kind = JF_INT,
         .required = true,
         .min = 1,
         .max = 24,
         .out = &x.in.hours},
        {.name = "topic", .kind = JF_STRING, .min = 1, .max = 200, .out = &x.in.topic},
    };
    jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0]);
    if (x.in.start_time && x.in.end_time && !jerr_has_within(&r->errors, "start_time") &&
        !jerr_has_within(&r->errors, "end_time") && strcmp(x.in.end_time, x.in.start_time) <= 0)
        req_field_error(r, "end_time", SD_E_FIELD_CONFLICT, "应晚于开始时刻",
                        "must be after the start time");
    if (jerr_count(&r->errors) > 0) {
        reply_field_errors(r, SD_E_VALIDATION_FAILED);
        return;
    }
    struct call call = {.caller = x.caller,
                        .run = flow_class_session_add,
                        .args = {.id = x.id, .in.session = &x.in}};
    call_keyed(r, &call);
}
