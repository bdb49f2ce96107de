#ifndef SD_DB_CLASS_H
#define SD_DB_CLASS_H

/* The database operations of class filings (开班备案) and rosters, one file each:
 * class_context.c, class_insert.c, class_roster_write.c, class_read.c, class_lead.c
 * (sql/0021_classes.sql). */

#include "ops.h"

/* A name as replies show it: its first character, then one * for each other (at least one). */
#define DB_MASK_NAME(col) "(left(" col ", 1) || repeat('*', greatest(length(" col ") - 1, 1)))"

/* What a filing is checked against, read in one statement. */
struct db_class_context {
    bool institution_found;
    char institution_status[16];
    char *black_entry_json; /* a black-list entry valid on the filing day, or NULL (malloc'd) */
    int lead_days;          /* the largest lead time of the policy and region, 0 when none */
    long long catalog_id;   /* the policy's catalog in force for the start year; 0 when none */
    bool in_catalog;        /* the occupation and level are an entry of it */
};
/* occupation and level NULL for a project class; on: the filing day; year: the start's. */
enum db_rc db_class_context(struct db_conn *c, const char *institution, const char *policy,
                            const char *region, int year, const char *occupation, const char *level,
                            const char *on, struct db_class_context *out);
void db_class_context_free(struct db_class_context *x);

/* A class as filed. */
struct db_class_new {
    const char *institution, *policy, *occupation, *level, *project_code, *project_name;
    long long catalog_id; /* 0: none */
    const char *kind, *region, *start_date, *end_date, *place, *teachers_json, *payee;
    int class_hours, capacity, lead_days;
    const char *filed_on, *deadline;
    bool deadline_estimated;
    long long actor; /* token id */
    const char *actor_role, *request_id;
};
/* Insert a filed class with its first timeline entry ("file"); fills its id and guard key
 * (what the roster-stuffing index compares, at least 64 bytes). */
enum db_rc db_class_insert(struct db_conn *c, const struct db_class_new *n, long long *id,
                           char *guard_key, size_t guard_len);

/* A class locked for a change of its roster. */
struct db_class_locked {
    char institution[SD_SUBJECT_LEN + 1];
    char region[SD_REGION_LEN + 1], region_parent[SD_REGION_LEN + 1];
    char state[16], start_date[16], end_date[16], guard_key[80];
    char policy[64], kind[24];
    int capacity, class_hours;
};
enum db_rc db_class_lock(struct db_conn *c, long long id, struct db_class_locked *out);

/* A step of the class's life (class_step.c): from and to are states (the update happens only
 * while the class is in from); reason, detail_json (a JSON object) and deadline (the next
 * step's, YYYY-MM-DD) may be NULL — without a deadline the class keeps the one it has. */
struct db_class_step {
    long long class_id;
    const char *from, *to, *action, *reason, *detail_json, *deadline;
    bool deadline_estimated;
    long long actor;
    const char *actor_role, *request_id;
};
enum db_rc db_class_step(struct db_conn *c, const struct db_class_step *s);

/* The live roster for completion (class_completion.c): [{entry, row, id_hash ("\\x" + hex),
 * id_number_masked, name (masked)}] (caller decrefs). */
enum db_rc db_class_roster_keys(struct db_conn *c, long long id, json_t **items);
/* Write results [{entry, hours, passed}] onto the class's live entries. */
enum db_rc db_class_completion_write(struct db_conn *c, long long id, const char *results_json);

/* A roster as the class will have it: entries_json [{row, id_hash, id_sealed, id_masked, name}]
 * (bytea literals from pii.h), each person once. */
struct db_roster_write {
    long long class_id;
    const char *guard_key, *entries_json;
    long long actor;
    const char *actor_role, *request_id, *action; /* the timeline's action ("file", "roster") */
    const char *state;                            /* the class's (the timeline's from and to) */
};
enum db_roster_outcome {
    DB_ROSTER_WRITTEN,
    DB_ROSTER_STUFFING, /* some persons are on another live class of the same guard key */
};
/* Replace the class's live roster by the entries: persons added (a new person without an
 * owner), entries no longer named removed, the others kept (their row number updated); one
 * timeline entry with the counts.  On DB_ROSTER_STUFFING nothing is written and *conflicts is
 * [{row, id_masked, name, class_id}] (caller decrefs).  counts: {added, removed, kept, live}. */
enum db_rc db_roster_write(struct db_conn *c, const struct db_roster_write *w,
                           enum db_roster_outcome *outcome, json_t **conflicts, json_t **counts);

/* A class's roster signals (roster_signal.c, sql/0025_roster_signals.sql), replaced after its
 * roster was written: the per-row ones the caller computed (row_signals_json [{row, kind,
 * detail}]), students not covered when the policy covers none (student_detail_json, an object),
 * and those the database finds against the other live rosters.  The trainees' persons are
 * locked first, so that the later of two racing filings names the earlier.  *count: written. */
struct db_roster_signals {
    long long class_id;
    const char *row_signals_json;
    bool students_not_covered;
    const char *student_detail_json;
};
enum db_rc db_roster_signals_write(struct db_conn *c, const struct db_roster_signals *s,
                                   long long *count);

/* One class with its timeline as JSON text (masked; malloc'd), and what access needs. */
struct db_class_view {
    char *json;
    char institution[SD_SUBJECT_LEN + 1];
    char region[SD_REGION_LEN + 1], region_parent[SD_REGION_LEN + 1];
};
enum db_rc db_class_get(struct db_conn *c, long long id, struct db_class_view *out);
void db_class_view_free(struct db_class_view *v);
/* The live roster of a class, masked: [{row, person: {id_number_masked, name}, added_at}]. */
enum db_rc db_class_roster(struct db_conn *c, long long id, json_t **items);
/* The acceptance receipt (受理回执) of a class as a view: {receipt_no, class_id, institution,
 * received: {class_filing, roster_entries, roster_changes}, next_step, deadline, ...}. */
enum db_rc db_class_receipt(struct db_conn *c, long long id, struct db_class_view *out);

/* Set the lead time (working days) of a policy, a region or both (NULL: any); *after is the row
 * and *before its earlier days ({days}, NULL when new), JSON text (malloc'd). */
enum db_rc db_class_lead_set(struct db_conn *c, const char *policy, const char *region, int days,
                             const char *note, char **after, char **before);

struct db_class_filter {
    const char *institution; /* NULL: any (approvers) */
    const char *regions_csv; /* NULL: any; else the class's region or its parent is one */
    const char *state, *policy;
    int year; /* of the start date; 0: any */
    long long after;
    int limit;
};
/* A page of classes, newest first (keyed by id). */
enum db_rc db_class_list(struct db_conn *c, const struct db_class_filter *f, struct db_page *out);

/* Assessment results of a class (class_results.c, sql/0030_class_results.sql).  What each
 * uploaded row (rows_json [{row, id_hash ("\\x" + hex), kind, number, body, issue_date}]) is
 * checked against: [{row, entry (null: not on the live roster), passed, body_found,
 * body_suspended, body_black_listed (on the issue date), used (the certificate backs a live
 * claim or is a result already)}] (caller decrefs). */
enum db_rc db_class_results_check(struct db_conn *c, long long id, const char *rows_json,
                                  json_t **items);
/* The upload's row numbers an insert wrote, sorted; free rows. */
struct db_rows_written {
    long *rows;
    size_t n;
};
bool db_rows_written_has(const struct db_rows_written *w, long row);
/* Insert results_json [{entry, row, kind, number, level, issue_date, body, hold_reason (null:
 * not held)}] as class id's; actor: token id or 0.  A row whose certificate another upload
 * recorded since the check (committed while this one waited) is not written: *w names the rows
 * that were. */
enum db_rc db_class_results_write(struct db_conn *c, long long id, const char *results_json,
                                  long long actor, struct db_rows_written *w);
/* The acceptance receipt (受理回执) of class id's results: {receipt_no, class_id, institution,
 * institution_name, received_at, received {results, held}, state, next_step, deadline, ...};
 * DB_NOT_FOUND when it has none. */
enum db_rc db_class_results_receipt(struct db_conn *c, long long id, json_t **receipt);
/* Class id's results, masked: [{row, id_number_masked, name, kind, number, level, issue_date,
 * issuing_body, issuing_body_name, held, hold_reason, recorded_at}] (caller decrefs). */
enum db_rc db_class_results(struct db_conn *c, long long id, json_t **items);

#endif
