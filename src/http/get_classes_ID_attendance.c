/* GET /v1/classes/{id}/attendance: per trainee of the live roster (masked) the hours the
 * sign-ins record — in person, online, and counted (online at the policy's ratio) — against
 * the hours required to pass (--class-attendance-percent of the class hours), for its
 * institution or an approver of its region. */
#include "class_attendance_http.h"

void get_classes_ID_attendance(struct req *r)
{
    struct db_conn *db = req_db(r);
    long long id;
    struct db_class_view v;
    if (!db || !class_read_visible(r, db, &id, db_class_get, &v))
        return;
    json_t *k = json_loads(v.json, 0, NULL);
    int class_hours = (int)json_integer_value(json_object_get(k, "class_hours"));
    json_decref(k);
    db_class_view_free(&v);
    json_t *body = NULL;
    enum db_rc rc =
        class_attendance_read(db, id, class_hours, (int)config.class_attendance_percent, &body);
    if (!reply_failed(r, rc))
        reply_json(r, 200, body);
}
