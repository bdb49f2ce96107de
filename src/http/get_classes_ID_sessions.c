/* GET /v1/classes/{id}/sessions: the class's sessions in time order, each with its count of
 * sign-ins, for its institution or an approver of its region. */
#include "class_attendance_http.h"

void get_classes_ID_sessions(struct req *r)
{
    class_reply_list(r, db_class_sessions);
}
