/* GET /v1/classes/{id}/results: the assessment results of a class — per trainee (masked) the
 * certificate's kind, number, level, issue date, issuing body and whether it is held for
 * review — for the class's institution or an approver of its region; {items} as JSON, or CSV
 * (UTF-8) when Accept names text/csv. */
#include "class_attendance_http.h"

static const char *const columns[] = {"row",        "id_number_masked", "name",
                                      "kind",       "number",           "level",
                                      "issue_date", "issuing_body",     "issuing_body_name",
                                      "held",       "hold_reason",      "recorded_at",
                                      NULL};

void get_classes_ID_results(struct req *r)
{
    class_reply_list_csv(r, db_class_results, columns);
}
