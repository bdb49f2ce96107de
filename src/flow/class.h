#ifndef SD_FLOW_CLASS_H
#define SD_FLOW_CLASS_H

/*
 * Class filing (开班备案) and rosters (src/rules/domain/WORKFLOW.md "Class"): an institution
 * files a class with its roster (class_file.c) and changes the roster until the start date
 * (class_roster.c).  The handlers check the fields; these use cases check what only the
 * database knows — the institution's status and black list, the catalog in force, the filing
 * lead time on the working-day calendar, roster stuffing — and write.
 */

#include "class_db.h"
#include "flow.h"
#include "sr_workflow.h"

/* One trainee of a roster as uploaded, its fields checked: row number (from 1), a valid ID
 * number and a name. */
struct class_trainee {
    int row;
    const char *id_number, *name;
};
struct class_roster_in {
    struct class_trainee *rows; /* each person once (the handler lists duplicates) */
    size_t n;
};

/* A class filing as the handler checked it (dates valid, occupation canonical). */
struct class_filing {
    const char *policy, *occupation, *level, *project_code, *project_name, *kind, *region;
    const char *start_date, *end_date, *place, *payee;
    const json_t *teachers;
    long long class_hours, capacity;
    struct class_roster_in roster;
    int accept_days; /* working days for the acceptance (config) */
};

/* File args->in.filing, a class with its roster: 201 with the class (timeline, roster counts and
 * receipt). */
enum db_rc flow_class_file(const struct flow_caller *c, struct db_conn *db,
                           const struct flow_args *args, struct flow_result *res);

/* Replace class args->id's roster with args->in.roster (its institution only; until the start
 * date): 200 with the counts and the roster, masked. */
enum db_rc flow_class_roster_put(const struct flow_caller *c, struct db_conn *db,
                                 const struct flow_args *args, struct flow_result *res);

/* What a class's roster signals depend on besides the roster (roster_signals.c). */
struct class_signal_basis {
    const char *policy, *kind, *start_date;
};
/* Write roster as class id's (class_roster.c): capacity, stuffing (409 naming rows and classes),
 * the timeline entry, the roster signals; *counts {added, removed, kept, live} (caller
 * decrefs). */
enum db_rc class_roster_apply(const struct flow_caller *c, struct db_conn *db, long long id,
                              const char *guard_key, const char *state, int capacity,
                              const struct class_signal_basis *basis,
                              const struct class_roster_in *roster, struct flow_result *res,
                              json_t **counts);
/* Replace class id's roster signals after its roster was written (roster_signals.c): DB_OK, or
 * the failure in res. */
enum db_rc class_roster_signals(const struct flow_caller *c, struct db_conn *db, long long id,
                                const struct class_signal_basis *basis,
                                const struct class_roster_in *roster, struct flow_result *res);

/* A step of a class's life after filing (class_life.c): accept and reject by an approver of
 * its region, start and cancel by its institution (sr_class_transition). */
struct class_step_in {
    enum sr_class_action action;
    const char *reason;         /* NULL: none */
    const json_t *reason_codes; /* reject: the codes (checked by the handler); else NULL */
    int completion_days;        /* working days after the end date to report completion */
};
/* Step args->in.step of class args->id: 200 with the class and its timeline; 404 for a class the
 * caller may not see, 409 when its state or the date does not allow the step (naming them). */
enum db_rc flow_class_step(const struct flow_caller *c, struct db_conn *db,
                           const struct flow_args *args, struct flow_result *res);

/* Lock class id for a change (class_life.c): 404 unless the caller may see it (and, with
 * institution_only, is its institution). */
enum db_rc class_lock_visible(const struct flow_caller *c, struct db_conn *db, long long id,
                              bool institution_only, struct db_class_locked *k,
                              struct flow_result *res);
/* Lock class id and ask the state machine whether the caller may apply action: DB_OK with the
 * state it leads *to, else the refusal (class_step_refuse). */
enum db_rc class_step_lock(const struct flow_caller *c, struct db_conn *db, long long id,
                           enum sr_class_action action, struct db_class_locked *k,
                           enum sr_class_state *to, struct flow_result *res);
/* Refused as sr_class_transition says (409 naming the state or the start date); DB_OK when
 * the step may happen. */
enum db_rc class_step_refuse(const struct flow_caller *c, enum sr_transition_status st,
                             const struct db_class_locked *k, struct flow_result *res);
/* Write the step from k's state to `to` (detail_text: the timeline's detail as JSON text when
 * the step has no reason codes, or NULL), audit it, and answer 200 with the class. */
enum db_rc class_step_write(const struct flow_caller *c, struct db_conn *db, long long id,
                            const struct class_step_in *in, const struct db_class_locked *k,
                            enum sr_class_state to, const char *detail_text,
                            struct flow_result *res);

/* One trainee's completion as uploaded, its fields checked (row from 1). */
struct class_result {
    int row;
    const char *id_number;
    long long hours;
    bool passed;
};
struct class_completion_in {
    struct class_result *rows; /* each person once (the handler lists duplicates) */
    size_t n;
    int attendance_percent; /* of the class hours, to pass (config) */
};
/* Record completion args->in.completion of running class args->id (its institution only): 200 with
 * the class, now completed; 422 completion_invalid naming every bad row and listing the trainees
 * missing. */
enum db_rc flow_class_completion(const struct flow_caller *c, struct db_conn *db,
                                 const struct flow_args *args, struct flow_result *res);

/* Read class id (with its timeline) into *body (caller decrefs) and audit action on it with
 * before (JSON text or NULL) and the class as after. */
enum db_rc class_read_audited(const struct flow_caller *c, struct db_conn *db, long long id,
                              const char *action, const char *before, json_t **body);

/* May who read the class: its institution, or an approver of its region (or the region's
 * parent).  Anyone else is told it does not exist. */
bool class_visible(const struct sd_principal *who, const char *institution, const char *region,
                   const char *region_parent);

/* The last day on which something due n working days before day can be done: the latest d
 * with n working days in (d, day] (calendar.c, on the loaded calendar; weekends only where a
 * year is not loaded). */
enum db_rc calendar_working_days_before(struct db_conn *db, int32_t day, int n, int32_t *out);

/* One trainee's assessment result as uploaded, its fields checked (row from 1): the certificate
 * kind and number (trimmed, upper-case), level, issue date (YYYY-MM-DD) and the issuing
 * evaluation body's credit code. */
struct class_certificate {
    int row;
    const char *id_number, *kind, *number, *level, *issue_date, *body;
};
struct class_results_in {
    struct class_certificate *rows; /* each person and certificate once (the handler checks) */
    size_t n;
};
/* Record results args->in.results of completed class args->id (its institution only): 200 with
 * the acceptance receipt, the class now assessed; 422 results_invalid naming every bad row. */
enum db_rc flow_class_results(const struct flow_caller *c, struct db_conn *db,
                              const struct flow_args *args, struct flow_result *res);

#endif
