/* The attendance a class's sign-ins give (class_attendance.h): in-person hours in full and
 * online hours at the policy's ratio (Yancheng 四(二)4: 在线学习课时可按比例计入; the ratio
 * is the department's, sql/0027_class_attendance.sql), against the hours a trainee must attend
 * to pass. */
#include "class_attendance.h"

long long class_counted_hours(long long in_person, long long online, int percent)
{
    return in_person + online * percent / 100;
}

long long class_required_hours(int class_hours, int percent)
{
    return ((long long)class_hours * percent + 99) / 100;
}

enum db_rc class_attendance_read(struct db_conn *db, long long id, int class_hours,
                                 int attendance_percent, json_t **body)
{
    json_t *items = NULL;
    long signins = 0;
    int online_percent = 0;
    *body = NULL;
    enum db_rc rc = db_class_attendance(db, id, &items, &signins, &online_percent);
    if (rc != DB_OK)
        return rc;
    long long need = class_required_hours(class_hours, attendance_percent);
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(items, i, e)
    {
        json_int_t in_person = json_integer_value(json_object_get(e, "in_person_hours"));
        json_int_t online = json_integer_value(json_object_get(e, "online_hours"));
        long long counted = class_counted_hours(in_person, online, online_percent);
        json_array_append_new(
            out, json_pack("{s:O, s:{s:O, s:O}, s:I, s:I, s:O, s:I, s:b}", "row",
                           json_object_get(e, "row"), "person", "id_number_masked",
                           json_object_get(e, "id_number_masked"), "name",
                           json_object_get(e, "name"), "in_person_hours", in_person, "online_hours",
                           online, "sessions", json_object_get(e, "sessions"), "counted_hours",
                           (json_int_t)counted, "meets_requirement", counted >= need));
    }
    json_decref(items);
    *body = json_pack("{s:I, s:i, s:I, s:i, s:I, s:o}", "class_id", (json_int_t)id, "class_hours",
                      class_hours, "required_hours", (json_int_t)need, "online_percent",
                      online_percent, "signins", (json_int_t)signins, "items", out);
    return *body ? DB_OK : DB_HARD;
}
