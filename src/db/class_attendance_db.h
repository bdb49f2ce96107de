#ifndef SD_DB_CLASS_ATTENDANCE_H
#define SD_DB_CLASS_ATTENDANCE_H

/* The database operations of a running class's attendance and process checks (sql/0023):
 * sessions and sign-ins (class_session.c), the attendance each trainee's sign-ins give and the
 * policy's online ratio (class_attendance.c), and inspections (class_inspection.c).  The
 * caller holds the class's row lock (db_class_lock) before any write here. */

#include "ops.h"

/* A session as recorded: day YYYY-MM-DD, times HH:MM, mode "in_person" or "online". */
struct db_class_session_new {
    long long class_id;
    const char *day, *starts_at, *ends_at, *mode, *topic; /* topic may be NULL */
    int hours;
    const char *state; /* the class's (the timeline's from and to) */
    long long actor;
    const char *actor_role, *request_id;
};
/* Insert the session with its timeline entry unless it overlaps another session of the class:
 * then nothing is written and *clash is that session ({id, date, start_time, end_time}; caller
 * decrefs).  *id gets the new session's id. */
enum db_rc db_class_session_insert(struct db_conn *c, const struct db_class_session_new *s,
                                   long long *id, json_t **clash);
/* Session sid of class id: {id, class_id, date, start_time, end_time, mode, hours, topic,
 * signins, created_at}; DB_NOT_FOUND when the class has no such session. */
enum db_rc db_class_session_get(struct db_conn *c, long long id, long long sid, json_t **out);
/* The class's sessions in time order, as db_class_session_get gives each. */
enum db_rc db_class_sessions(struct db_conn *c, long long id, json_t **items);
/* The roster entries already signed in to session sid: [entry id]. */
enum db_rc db_class_session_signed(struct db_conn *c, long long sid, json_t **entries);

/* Sign-ins of session sid: rows_json [{entry, at (HH:MM:SS), method, evidence}], each entry
 * once and not yet signed in; one timeline entry with their count. */
struct db_class_signins {
    long long class_id, session_id;
    const char *rows_json, *state;
    long long actor;
    const char *actor_role, *request_id;
};
enum db_rc db_class_signins_write(struct db_conn *c, const struct db_class_signins *w);

/* What the class's sign-ins give per trainee of the live roster: *items [{entry, row,
 * id_number_masked, name (masked), in_person_hours, online_hours, sessions}], *signins the
 * number of sign-ins of the class, *online_percent the policy's ratio (0 without a row). */
enum db_rc db_class_attendance(struct db_conn *c, long long id, json_t **items, long *signins,
                               int *online_percent);

/* Set the online ratio of a policy (percent 0 to 100); *after the row, *before its earlier
 * percent ({percent}, NULL when new), JSON text (malloc'd). */
enum db_rc db_class_online_ratio_set(struct db_conn *c, const char *policy, int percent,
                                     const char *note, char **after, char **before);

/* An inspection of a class as recorded: day YYYY-MM-DD, result "ok" or "problems_found". */
struct db_class_inspection_new {
    long long class_id;
    const char *day, *findings, *result, *evidence; /* evidence may be NULL */
    const char *state;
    long long actor;
    const char *actor_role, *request_id;
};
/* Insert it with its timeline entry; *out the inspection as db_class_inspections lists it. */
enum db_rc db_class_inspection_insert(struct db_conn *c, const struct db_class_inspection_new *n,
                                      json_t **out);
/* The class's inspections, oldest first: [{id, date, findings, result, evidence, inspector_role,
 * created_at}]. */
enum db_rc db_class_inspections(struct db_conn *c, long long id, json_t **items);

/* For the files of src/db: run s with the id as its one parameter into *out (db_json_exec). */
struct db_stmt;
enum db_rc db_class_json_by_id(struct db_conn *c, const struct db_stmt *s, long long id,
                               json_t **out);

#endif
