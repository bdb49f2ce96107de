/* The attendance a class's sign-ins give (class_attendance_db.h, sql/0023): per trainee of the
 * live roster the hours of the in-person and the online sessions signed in to, with the
 * policy's online ratio (Yancheng 四(二)4), and the ratio set by the department. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "class_attendance_db.h"
#include "class_db.h" /* DB_MASK_NAME */
#include "db_exec.h"

// clang-format off
const struct db_stmt db_stmt_class_attendance = {
    "class_attendance",
    "SELECT json_build_object('items', coalesce(json_agg(json_build_object('entry', r.id,"
    "    'row', r.row_no, 'id_number_masked', p.id_masked, 'name', " DB_MASK_NAME("r.name") ","
    "    'in_person_hours', a.in_person, 'online_hours', a.online, 'sessions', a.n)"
    "    ORDER BY r.row_no, r.id) FILTER (WHERE r.id IS NOT NULL), '[]'),"
    "  'signins', (SELECT count(*) FROM class_signin g JOIN class_session s"
    "                ON s.id = g.session_id WHERE s.class_id = k.id),"
    "  'online_percent', coalesce((SELECT o.percent FROM class_online_ratio o"
    "                               WHERE o.policy_id = k.policy_id), 0))::text"
    " FROM class k"
    " LEFT JOIN class_roster_entry r ON r.class_id = k.id AND r.removed_at IS NULL"
    " LEFT JOIN person p ON p.id = r.person_id"
    " LEFT JOIN LATERAL (SELECT"
    "    coalesce(sum(s.hours) FILTER (WHERE s.mode = 'in_person'), 0) AS in_person,"
    "    coalesce(sum(s.hours) FILTER (WHERE s.mode = 'online'), 0) AS online, count(*) AS n"
    "    FROM class_signin g JOIN class_session s ON s.id = g.session_id"
    "   WHERE g.entry_id = r.id) a ON true"
    " WHERE k.id = $1::bigint GROUP BY k.id",
    1};
const struct db_stmt db_stmt_class_online_ratio_set = {
    "class_online_ratio_set",
    "WITH old AS (SELECT percent FROM class_online_ratio WHERE policy_id = $1),"
    " w AS (INSERT INTO class_online_ratio AS o (policy_id, percent, note)"
    "  VALUES ($1, $2::int, nullif($3, ''))"
    "  ON CONFLICT (policy_id) DO UPDATE SET percent = EXCLUDED.percent, note = EXCLUDED.note,"
    "    updated_at = now()"
    "  RETURNING o.policy_id, o.percent, o.note)"
    " SELECT json_build_object('policy', w.policy_id, 'percent', w.percent, 'note', w.note)::text,"
    "   (SELECT json_build_object('percent', old.percent)::text FROM old) FROM w",
    3};
// clang-format on

enum db_rc db_class_attendance(struct db_conn *c, long long id, json_t **items, long *signins,
                               int *online_percent)
{
    json_t *out = NULL;
    *items = NULL;
    enum db_rc rc = db_class_json_by_id(c, &db_stmt_class_attendance, id, &out);
    if (rc != DB_OK)
        return rc;
    if (!out)
        return DB_HARD;
    *items = json_incref(json_object_get(out, "items"));
    *signins = (long)json_integer_value(json_object_get(out, "signins"));
    *online_percent = (int)json_integer_value(json_object_get(out, "online_percent"));
    json_decref(out);
    return *items ? DB_OK : DB_HARD;
}

enum db_rc db_class_online_ratio_set(struct db_conn *c, const char *policy, int percent,
                                     const char *note, char **after, char **before)
{
    char pc[16];
    snprintf(pc, sizeof pc, "%d", percent);
    const char *p[] = {policy, pc, note ? note : ""};
    enum db_rc rc;
    *after = *before = NULL;
    PGresult *res = db_exec_row(c, &db_stmt_class_online_ratio_set, p, false, &rc);
    if (!res)
        return rc;
    *after = strdup(PQgetvalue(res, 0, 0));
    if (!PQgetisnull(res, 0, 1))
        *before = strdup(PQgetvalue(res, 0, 1));
    PQclear(res);
    return *after ? DB_OK : DB_HARD;
}
