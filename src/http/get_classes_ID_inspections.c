/* GET /v1/classes/{id}/inspections: the process inspections of the class, oldest first, for
 * its institution or an approver of its region. */
#include "class_attendance_http.h"

void get_classes_ID_inspections(struct req *r)
{
    class_reply_list(r, db_class_inspections);
}
