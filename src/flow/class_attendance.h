#ifndef SD_FLOW_CLASS_ATTENDANCE_H
#define SD_FLOW_CLASS_ATTENDANCE_H

/*
 * Attendance and process checks of a running class (issue 12, src/rules/domain/WORKFLOW.md
 * "Class"): its institution records the sessions and the trainees' sign-ins with an evidence
 * reference (class_session.c), the attendance the sign-ins give counts online hours at the
 * policy's ratio (class_attendance.c; Yancheng 四(二)4), and approvers of its region record
 * process inspections (class_inspection.c).  The handlers check the fields; these check what
 * the database holds — the class's state and dates, the roster, the session's time — and write.
 */

#include "class.h"
#include "class_attendance_db.h"

/* A session as the handler checked it: date YYYY-MM-DD, times HH:MM with end after start, mode
 * "in_person" or "online", the class hours it counts for. */
struct class_session_in {
    const char *date, *start_time, *end_time, *mode, *topic; /* topic may be NULL */
    long long hours;
};
/* Record session args->in.session of running class args->id (its institution only): 201 with the
 * session; 409 class_session_overlap naming the session it overlaps, 422 for a date outside the
 * class's. */
enum db_rc flow_class_session_add(const struct flow_caller *c, struct db_conn *db,
                                  const struct flow_args *args, struct flow_result *res);

/* One sign-in as uploaded, its fields checked (row from 1): date (YYYY-MM-DD) NULL when only a
 * time was given; time HH:MM:SS. */
struct class_signin {
    int row;
    const char *id_number, *date, *method, *evidence;
    char time[9];
    bool bad; /* the handler named a problem of the row already: not checked again */
};
struct class_signins_in {
    long long session_id;      /* the path's {sid} */
    struct class_signin *rows; /* each person once (the handler lists duplicates) */
    size_t n;
};
/* Record the sign-ins args->in.signins (of its session_id) of running class args->id (its
 * institution only): 201 with the session and the count recorded; 422 signins_invalid naming every
 * bad row — not on the live roster, signed in already, outside the session's time, a method the
 * session's mode does not allow — with nothing written (also when the caller's errors hold the
 * handler's problems of rows, so that one reply names them all); 404 for a session of another
 * class. */
enum db_rc flow_class_signins(const struct flow_caller *c, struct db_conn *db,
                              const struct flow_args *args, struct flow_result *res);

/* The hours a trainee's sign-ins count for: in person in full, online at percent (rounded
 * down). */
long long class_counted_hours(long long in_person, long long online, int percent);
/* The hours a trainee must attend to pass: percent of the class hours, rounded up. */
long long class_required_hours(int class_hours, int percent);
/* The attendance of class id's trainees by their sign-ins into *body (caller decrefs):
 * {class_hours, required_hours, online_percent, signins, items [{row, person, in_person_hours,
 * online_hours, sessions, counted_hours, meets_requirement}]}. */
enum db_rc class_attendance_read(struct db_conn *db, long long id, int class_hours,
                                 int attendance_percent, json_t **body);

/* The keyed hash of an ID number as the roster keeps it (x and X alike) into hash. */
void class_id_hash(const struct sd_pii_keys *keys, const char *id_number,
                   char hash[SD_PII_HASH_HEX]);

/* An inspection as the handler checked it: date YYYY-MM-DD, result "ok" or "problems_found". */
struct class_inspection_in {
    const char *date, *findings, *result, *evidence; /* evidence may be NULL */
};
/* Record process inspection args->in.inspection of running class args->id by an approver of its
 * region: 201 with the inspection; 422 for a date before the class's start or after today. */
enum db_rc flow_class_inspection_add(const struct flow_caller *c, struct db_conn *db,
                                     const struct flow_args *args, struct flow_result *res);

/* Lock class id for a record of its running (institution_only as class_lock_visible): 409
 * class_state_conflict unless it is running. */
enum db_rc class_lock_running(const struct flow_caller *c, struct db_conn *db, long long id,
                              bool institution_only, struct db_class_locked *k,
                              struct flow_result *res);
/* Audit action ("class.session", ...) on class id with after (borrowed). */
enum db_rc class_audit_record(const struct flow_caller *c, struct db_conn *db, long long id,
                              const char *action, const json_t *after);

#endif
