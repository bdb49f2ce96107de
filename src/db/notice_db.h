/* Public notice (结果公示) and objections (sql/0036_notice.sql): the operations of src/db
 * (notice_*.c, objection_*.c).  Dates are YYYY-MM-DD text; JSON text returned is the caller's to
 * free. */
#ifndef SD_DB_NOTICE_DB_H
#define SD_DB_NOTICE_DB_H

#include <stdbool.h>

#include "db.h"
#include "page.h"

/* The notice setting in force for claim id (its policy, its region, else its city, else every
 * region of the policy; the newest of the most specific scope): *days 0 and mode "" when none
 * is set. */
struct db_notice_setting_in_force {
    int days;
    char mode[16];
};
enum db_rc db_notice_setting_for(struct db_conn *c, long long id,
                                 struct db_notice_setting_in_force *out);

/* A new version of a setting (subsidyctl notice set): *after the row written, *before the one
 * in force in that scope until now (NULL: none). */
struct db_notice_setting {
    const char *policy, *region, *mode, *note; /* region, note: NULL for none */
    int days;
};
enum db_rc db_notice_setting_set(struct db_conn *c, const struct db_notice_setting *s, char **after,
                                 char **before);
/* Every setting, newest first in each scope, with in_force; policy NULL for all. */
enum db_rc db_notice_settings(struct db_conn *c, const char *policy, char **json);

/* Claim id (locked by the caller) from state from -> in_notice with its period (list_id 0: its
 * own), its timeline row (action, detail JSON or NULL) and audit row; the assignment ends.
 * *json the claim's summary for an approver; DB_NOT_FOUND when not in state from. */
struct db_claim_notice_open {
    long long id, actor, list_id; /* actor: token id, 0 for none (a scheduled publish) */
    const char *from_state, *action, *actor_role, *reason, *detail_json, *request_id;
    const char *starts, *ends, *period;
};
enum db_rc db_claim_notice_open(struct db_conn *c, const struct db_claim_notice_open *s,
                                char **json);

/* Claim id locked for an objection: its state, last day of notice ("" none), region, policy. */
struct db_claim_notice_facts {
    char state[16], notice_ends[16], region[16], policy[72];
};
enum db_rc db_claim_notice_lock(struct db_conn *c, long long id, struct db_claim_notice_facts *out);

/* An objection to claim id (in_notice, locked by the caller): the objection row, the claim
 * objected and back in the queue with review_due, the timeline (the objector not named on it:
 * the objection row keeps who) and audit rows.  *json the objection as its objector sees it. */
struct db_objection_file {
    long long claim_id, actor;
    const char *reason, *evidence, *request_id, *review_due;
    bool review_due_estimated;
};
enum db_rc db_objection_file(struct db_conn *c, const struct db_objection_file *s, char **json);
/* Objection id as the account of token caller sees it: DB_NOT_FOUND when it is not theirs. */
enum db_rc db_objection_get(struct db_conn *c, long long id, long long caller, char **json);

/* Objection id of claim claim_id: found, still open, raised by token actor's account. */
struct db_objection_facts {
    bool found, open, own;
};
enum db_rc db_objection_facts(struct db_conn *c, long long id, long long claim_id, long long actor,
                              struct db_objection_facts *out);
/* Decide open objection id of claim claim_id: state upheld or dismissed, by token actor, with
 * the reason; DB_NOT_FOUND when it is not open. */
enum db_rc db_objection_decide(struct db_conn *c, long long id, long long claim_id,
                               const char *state, long long actor, const char *reason);

/* Close the notice of up to limit claims whose period ended before today with no open objection:
 * payable, one timeline and audit row each (FOR UPDATE SKIP LOCKED: several closers at once
 * close each claim once).  *closed how many. */
enum db_rc db_notice_close(struct db_conn *c, const char *today, int limit, const char *request_id,
                           int *closed);

/* Publish region's list of period (monthly mode): the list (one per region and period) and, when
 * this call made it, every approved claim of the region and its districts in it.  *list_id the
 * list's id, *added the claims put in it, *created whether this call made the list. */
struct db_notice_publish {
    const char *region, *period, *starts, *ends, *request_id;
    int days;
};
enum db_rc db_notice_publish(struct db_conn *c, const struct db_notice_publish *s,
                             long long *list_id, int *added, bool *created);
/* The days of the monthly setting in force for region (its own, else its city's, any policy):
 * DB_NOT_FOUND when none. */
enum db_rc db_notice_monthly_days(struct db_conn *c, const char *region, int *days);

/* A page of the public list of region (and its districts) and period: claims in notice or
 * objected, by id after after; the person's name unmasked in "name" for the caller to mask. */
enum db_rc db_notice_public(struct db_conn *c, const char *region, const char *period,
                            long long after, int limit, struct db_page *out);

#endif
