/* GET /v1/classes/{id}/roster: the class's live roster, masked (ID number 330902********123X,
 * name 张*), for its institution or an approver of its region. */
#include "class_attendance_http.h"

void get_classes_ID_roster(struct req *r)
{
    class_reply_list(r, db_class_roster);
}
