#ifndef SD_CLAIMS_H
#define SD_CLAIMS_H

/*
 * What the claim and profile endpoints share: the person object (an applicant's profile, or an
 * employee an enterprise claims for), the claim body, who may see a claim, and the submission
 * itself — the rule module run inside the transaction on what the database holds.
 */

#include "handlers.h"
#include "ops.h"

#define PERSON_REGIONS 5

/* A person object as given. */
struct person_in {
    const char *id_number, *name, *phone;
    const char *regions[PERSON_REGIONS]; /* hukou, residence, employment, unemployment, training */
    const json_t *groups;                /* [{"group", "evidence"}] */
    bool past_retirement_age;
};

/* Check a person object; problems are named under prefix ("employee") or bare when NULL. */
void person_parse(struct req *r, const char *prefix, const json_t *obj, struct person_in *p);
/* Every region it names must exist. */
enum db_rc person_check_regions(struct req *r, struct db_conn *db, const char *prefix,
                                const struct person_in *p);

/* A person ready for the database: hashed, sealed and masked (pii.h). */
struct person_sealed {
    char hash[SD_PII_HASH_HEX];
    char id_sealed[SD_PII_SEALED_HEX], phone_sealed[SD_PII_SEALED_HEX];
    char id_masked[19], phone_masked[32];
    char *groups_json;
    struct db_person_write w;
};
void person_seal(const struct person_in *p, const char *owner_subject, struct person_sealed *s);
void person_sealed_free(struct person_sealed *s);

/* The reveal=true|false query of a detail view; false with a 400 queued when malformed. */
bool reveal_query(struct req *r, bool *reveal);
/* Add id_number and phone in full to obj and write the reveal to the audit log (its own
 * transaction). */
enum db_rc reveal_person(struct req *r, struct db_conn *db, long long person_id,
                         const char *id_sealed, const char *phone_sealed, json_t *obj);

/* A claim body: POST /v1/claims (create) or PATCH /v1/claims/{id} (not create). */
struct claim_in {
    const char *region;
    const json_t *claim;    /* the rule module's claim object (see POST /v1/precheck) */
    const json_t *employer; /* {credit_code, ui_months, hire_date} */
    const json_t *employee; /* enterprises, on create */
    bool submit;
    bool dry_run; /* answer as the request would, write nothing */
    const char *employer_code, *hire_date;
    long long ui_months;
    struct person_in emp;
};
/* Check the body (all problems at once, nothing read from the database but the regions). */
void claim_body_parse(struct req *r, const json_t *body, bool create, struct claim_in *in);
/* What is stored as the claim's input: {region, claim, employer}; the claim's payee, when not
 * given, is the caller (the worker, or the enterprise). */
json_t *claim_input(const struct req *r, const struct claim_in *in);
/* The parts of a stored input, borrowed from it. */
void claim_input_read(const json_t *input, struct claim_in *in);

/* May the caller see this claim: its owner, or an approver of its region (or its city) once it
 * was submitted (a draft is its owner's alone)? */
bool claim_visible(const struct req *r, const char *owner_role, const char *owner_subject,
                   const char *region, const char *region_parent, bool never_submitted);
/* Is the caller the applicant a claim filed by an enterprise is about (person_owner: the
 * claim's person's applicant, or "")?  They may read it and withdraw it; drafts stay the
 * enterprise's own. */
bool claim_about_caller(const struct req *r, const char *person_owner, const char *state);
/* Is the caller the claim's owner? */
bool claim_owned(const struct req *r, const char *owner_role, const char *owner_subject);

/* Lock claim id for a change by its owner: DB_OK, or DB_ABORT with a 404 queued when there is
 * no such claim or it is someone else's.  Frees nothing on failure; the caller frees
 * out->input_json either way. */
enum db_rc claim_lock_owned(struct req *r, struct db_conn *c, long long id,
                            struct db_claim_locked *out);
/* The same for a draft: DB_ABORT with a 409 queued when the claim is no longer one. */
enum db_rc claim_lock_draft(struct req *r, struct db_conn *c, long long id,
                            struct db_claim_locked *out);
/* May the caller apply action to the locked claim?  DB_OK with the new state in to_state, or
 * DB_ABORT with a 409 naming the current state queued. */
enum db_rc claim_may(struct req *r, const struct db_claim_locked *k, enum sr_claim_action action,
                     enum sr_claim_state *to_state);

/* A submission: judge input for person_id and, when it passes, write it (a new claim when
 * claim_id is 0, else the draft claim_id).  Runs inside the caller's transaction; on a problem
 * queues the reply (422 with every problem, 409 for a quota or uniqueness conflict) and
 * returns DB_ABORT. */
struct submission {
    const json_t *input;
    long long person_id;
    PGresult *person; /* the person's row read in this transaction, or NULL to read it */
    long long claim_id;
    const char *from_state; /* "draft" for an existing claim */
    const char *owner_role, *owner_subject;
    const char *employee_name; /* the name an enterprise sent (shown to it, never the person's) */
    bool submit;               /* false: store a draft, no judgement */
};
enum db_rc claim_submit(struct req *r, struct db_conn *c, const struct submission *s,
                        unsigned *status, json_t **reply);

/* Add the problem occupation_unknown to res when the claim's (canonical) occupation is not in
 * the reference list; nothing for a claim without one (claim_guards.c). */
enum db_rc claim_occupation_known(struct db_conn *c, const char *occupation, struct sr_result *res);

/* Tie the submitted claim (its summary JSON, as the write returned it) to its certificate, which
 * belongs to person_id from its first claim on: queues a 409 certificate_held_by_other when it is
 * another person's, certificate_used when it backs a live claim of the same kind already, and
 * returns DB_ABORT; DB_OK for a claim without a certificate (claim_guards.c). */
enum db_rc claim_certificate_bind(struct req *r, struct db_conn *c, const char *claim_json,
                                  long long person_id, const struct sr_certificate *cert);

/* Map a write's failure: DB_NOT_FOUND = quota exhausted, DB_UNIQUE = the constraint's rule;
 * queues the 409 and returns DB_ABORT; other outcomes are returned as they are. */
enum db_rc claim_conflict(struct req *r, struct db_conn *c, enum db_rc rc);

/* This daemon replaced a year of the calendar: every worker reloads its copy before the next
 * review deadline. */
void claims_calendar_changed(void);
/* Is year among the loaded ones? */
bool calendar_year_loaded(const struct db_year_list *years, int year);

#endif
