#ifndef SD_DB_OPS_H
#define SD_DB_OPS_H

/* The database operations, one file each under src/db/. */

#include <stdint.h>

#include "db.h"
#include "jspec.h"
#include "page.h"
#include "sd_model.h"
#include "token.h"

/* ---- schema (schema.c) ---- */

/* db_schema_check (db_exec.h) on c: true when every migration this build carries is applied. */
bool db_conn_schema_check(struct db_conn *c, int *current, char *msg, size_t msglen);

/* Highest applied migration version (prepared; for /v1/ready). */
enum db_rc db_schema_version(struct db_conn *c, int *version);

/* ---- tokens ---- */

enum db_token_state { DB_TOKEN_ACTIVE, DB_TOKEN_REVOKED, DB_TOKEN_EXPIRED };

/* The principal behind a token hash (token_select_by_hash.c); DB_NOT_FOUND when unknown. */
enum db_rc db_token_by_hash(struct db_conn *c, const uint8_t hash[SD_TOKEN_HASH_LEN],
                            struct sd_principal *who, enum db_token_state *state);
/* The same by the token's id (a review job's approver, read again for each item). */
enum db_rc db_token_by_id(struct db_conn *c, long long id, struct sd_principal *who,
                          enum db_token_state *state);

struct db_token_new {
    const uint8_t *hash;
    enum sd_role role;
    const char *subject;        /* NULL when none; an applicant's: the ID number's hash (hex) */
    const char *subject_masked; /* an applicant's ID number, masked; NULL otherwise */
    const char *regions_csv;    /* "330902,330903" or "" */
    const char *label;
    long long created_by; /* 0 when created by the CLI */
    int ttl_days;
};

/* Insert a token (token_insert.c); fills its id and expiry. */
enum db_rc db_token_insert(struct db_conn *c, const struct db_token_new *t, long long *id,
                           char expires_at[32]);

/* Revoke a token now (token_revoke.c); revoking twice keeps the first time (*newly false then);
 * revoked_at is that time.  DB_NOT_FOUND when there is no such token. */
enum db_rc db_token_revoke(struct db_conn *c, long long id, bool *newly, char revoked_at[32]);

/* A page of at most limit tokens with id > after, ascending (token_list.c): items {id, role,
 * subject, regions, label, created_at, expires_at, revoked_at}, keyed by id. */
enum db_rc db_token_list(struct db_conn *c, long long after, int limit, struct db_page *out);

/* Number of live admin tokens (token_count_admins.c). */
enum db_rc db_token_count_admins(struct db_conn *c, long long *n);

/* ---- audit (audit.c) ---- */

/* One audit row; before/after are JSON text or NULL.  The database links it into its chain. */
struct db_audit_row {
    long long actor; /* token id, 0 for the CLI */
    const char *action, *object_kind, *object_id;
    const char *before, *after;
    const char *request_id;
};
enum db_rc db_audit(struct db_conn *c, const struct db_audit_row *a);

/* ---- idempotency keys (idempotency.c) ---- */

/* Take (caller, key) for the transaction being opened, as its guard (db_txn_guard): it waits
 * for the key's lock (a request holding it makes this wait, up to lock_timeout), and the
 * transaction gives DB_GUARDED when a committed request holds the key. */
enum db_rc db_idem_guard(struct db_conn *c, const char *caller, const char *key);
/* The stored reply of (caller, key): *same when it was for the same request; *reply is
 * malloc'd. */
enum db_rc db_idem_find(struct db_conn *c, const char *caller, const char *key,
                        const char *hash_hex, bool *same, int *status, char **reply);
/* Keep the key, with a hash of the request (hash_hex: "\\x" and 64 digits) and its reply, in
 * the transaction of the effect (written with its COMMIT). */
enum db_rc db_idem_store(struct db_conn *c, const char *caller, const char *key, const char *route,
                         const char *hash_hex, int status, const char *reply);

/* ---- the working-day calendar (calendar.c) ---- */

/* A loaded year as JSON text {year, source, updated_at, days: [{day, kind, name}]} (malloc'd);
 * DB_NOT_FOUND when the year is not loaded. */
enum db_rc db_calendar_year(struct db_conn *c, int year, char **json);
/* Lock a year's row for a replacement (no row: nothing to lock). */
enum db_rc db_calendar_lock(struct db_conn *c, int year);
/* Replace a year: its source and all its days (days_json: [{day, kind, name}]). */
enum db_rc db_calendar_replace(struct db_conn *c, int year, const char *source,
                               const char *days_json);

#define DB_MAX_CALENDAR_DAYS 1024
/* Holidays and make-up working days between two dates (inclusive), as day numbers. */
struct db_day_list {
    int32_t holidays[DB_MAX_CALENDAR_DAYS], workdays[DB_MAX_CALENDAR_DAYS];
    size_t nholidays, nworkdays;
};
enum db_rc db_calendar_range(struct db_conn *c, const char *from, const char *to,
                             struct db_day_list *out);
/* Are all the years from_year..to_year loaded? */
enum db_rc db_calendar_loaded(struct db_conn *c, int from_year, int to_year, bool *loaded);
#define DB_MAX_CALENDAR_YEARS 64
/* The loaded years in order, at most DB_MAX_CALENDAR_YEARS (the earliest first). */
struct db_year_list {
    int years[DB_MAX_CALENDAR_YEARS];
    size_t n;
};
enum db_rc db_calendar_years(struct db_conn *c, struct db_year_list *out);

/* ---- subsidy catalogs (catalog.c) ---- */

struct db_catalog_new {
    const char *policy, *effective_from, *source;
    int year;
    int entry_count;
    bool has_year_standard; /* the version's year-wide figure, when it has one */
    long long year_standard_fen;
    const char *entries_json; /* [{occupation, occupation_name, level, standard_fen, ...}] */
    long long published_by;   /* token id */
};
/* Publish a new version (the next number for its policy and year); fills its id. */
enum db_rc db_catalog_publish(struct db_conn *c, const struct db_catalog_new *n, long long *id);
/* A version's metadata as JSON text (malloc'd); DB_NOT_FOUND when there is none. */
enum db_rc db_catalog_get(struct db_conn *c, long long id, char **json);

struct db_catalog_filter {
    const char *policy; /* NULL: any */
    int year;           /* 0: any */
    const char *on;     /* YYYY-MM-DD: only the version in force that day; NULL: all */
    long long after;    /* keyset: ids above this */
    int limit;          /* page size */
};
/* A page of versions, ascending by id (keyed by id). */
enum db_rc db_catalog_list(struct db_conn *c, const struct db_catalog_filter *f,
                           struct db_page *out);
/* A page of a version's entries after (occupation, level), keyed "occupation/level". */
enum db_rc db_catalog_entries(struct db_conn *c, long long id, const char *after_occupation,
                              const char *after_level, int limit, struct db_page *out);

/* ---- enterprises (enterprise.c) ---- */

/* Serialise writes of one credit code for this transaction. */
enum db_rc db_enterprise_lock(struct db_conn *c, const char *code);
/* An enterprise with its trade-friction listings as JSON text (malloc'd); DB_NOT_FOUND when
 * there is none. */
enum db_rc db_enterprise_get(struct db_conn *c, const char *code, char **json);
/* Create or update (name, region). */
enum db_rc db_enterprise_put(struct db_conn *c, const char *code, const char *name,
                             const char *region);
/* A page of enterprises with credit_code > after (region NULL: any), keyed by credit code. */
enum db_rc db_enterprise_list(struct db_conn *c, const char *region, const char *after, int limit,
                              struct db_page *out);

/* ---- training institutions and evaluation bodies (listed.c) ---- */

/* A register whose members carry a status and red/black list entries: training institutions
 * (db_institutions) or evaluation bodies (db_evaluation_bodies, which also have a kind). */
struct db_listed;
extern const struct db_listed db_institutions, db_evaluation_bodies;

/* Serialise writes of one member (credit code) for this transaction. */
enum db_rc db_listed_lock(struct db_conn *c, const struct db_listed *l, const char *code);
/* A member with its status and list entries as JSON text (malloc'd); DB_NOT_FOUND. */
enum db_rc db_listed_get(struct db_conn *c, const struct db_listed *l, const char *code,
                         char **json);
/* The same, of one register each (for an admin_change's read). */
enum db_rc db_institution_get(struct db_conn *c, const char *code, char **json);
enum db_rc db_evaluation_body_get(struct db_conn *c, const char *code, char **json);

struct db_listed_member {
    const char *credit_code, *name, *region, *status;
    const char *kind; /* an evaluation body's; unused for an institution */
};
/* Create or update (name, region, status[, kind]). */
enum db_rc db_listed_put(struct db_conn *c, const struct db_listed *l,
                         const struct db_listed_member *m);
/* A page of members with credit_code > after, filtered by region and status (NULL: any),
 * keyed by credit code. */
enum db_rc db_listed_list(struct db_conn *c, const struct db_listed *l, const char *region,
                          const char *status, const char *after, int limit, struct db_page *out);

/* A page of the red or black list entries (list NULL: both) in force on day (YYYY-MM-DD: from
 * valid_from to valid_to, both included) with id > after, each with the member's name; keyed
 * by entry id. */
enum db_rc db_listed_in_force(struct db_conn *c, const struct db_listed *l, const char *list,
                              const char *day, long long after, int limit, struct db_page *out);
/* A page of the institutions admitted to subsidised training on day — status normal, no
 * black-list entry in force — (code, name, region; region NULL: any), keyed by credit code. */
enum db_rc db_institutions_admitted(struct db_conn *c, const char *region, const char *day,
                                    const char *after, int limit, struct db_page *out);

struct db_list_entry_new {
    const char *credit_code, *list, *reason, *valid_from, *valid_to; /* valid_to may be NULL */
    long long created_by;                                            /* token id */
};
/* Add a red or black list entry; *json gets the entry (malloc'd). */
enum db_rc db_listed_entry_add(struct db_conn *c, const struct db_listed *l,
                               const struct db_list_entry_new *n, char **json);

/* ---- certificate records (certificate_record.c) ---- */

/* Import [{id_hash, kind, number, occupation, level, issue_date, body_code, status}] (checked,
 * each kind and number once) under source: *added new records, *changed ones that differed
 * (the others are unchanged).  A record that turns revoked keeps when it first did. */
enum db_rc db_certificate_import(struct db_conn *c, const char *records_json, const char *source,
                                 long long actor, long *added, long *changed);
/* The records [{body_code, occupation}] that name an evaluation body not registered or an
 * occupation not listed: *unknown gets [{row (0-based), body, occupation}] (booleans; caller
 * decrefs). */
enum db_rc db_certificate_refs_unknown(struct db_conn *c, const char *records_json,
                                       json_t **unknown);

/* ---- the trade-friction list (trade_friction.c) ---- */

struct db_trade_friction_new {
    const char *credit_code, *valid_from, *valid_to, *source; /* valid_to may be NULL */
    long long created_by;                                     /* token id */
};
/* Add a listing; fills its id and *json (malloc'd). */
enum db_rc db_trade_friction_add(struct db_conn *c, const struct db_trade_friction_new *n,
                                 long long *id, char **json);
/* A page of listings with id > after, of one enterprise and/or in force on a date (NULL: any),
 * keyed by id. */
enum db_rc db_trade_friction_list(struct db_conn *c, const char *credit_code, const char *on,
                                  long long after, int limit, struct db_page *out);

/* ---- plan targets (plan.c) ---- */

/* Replace a policy's plan rows ([{policy, annex, dimension, unit_name, region_code, year,
 * measure, target, note}] as text fields, from the annex CSV). */
enum db_rc db_plan_replace(struct db_conn *c, const char *policy, const char *rows_json,
                           const char *source_file);
/* A policy's rows as a JSON array (*items, caller decrefs); year 0 / dimension NULL: all. */
enum db_rc db_plan_list(struct db_conn *c, const char *policy, int year, const char *dimension,
                        json_t **items);

/* ---- accounts (account.c) ---- */

struct db_account_new {
    const char *name, *role;
    const char *subject;        /* NULL when none; an applicant's: the ID number's hash (hex) */
    const char *subject_masked; /* an applicant's ID number, masked; NULL otherwise */
    const char *regions_csv;    /* "330902,330903" or "" */
};
enum db_account_insert_outcome {
    DB_ACCOUNT_CREATED,
    DB_ACCOUNT_SUBJECT_TAKEN, /* its subject has an account (the transaction cannot go on) */
};
/* Create an account (active); fills its id when created. */
enum db_rc db_account_insert(struct db_conn *c, const struct db_account_new *n, long long *id,
                             enum db_account_insert_outcome *outcome);
/* Lock an account's row for this transaction and read its role and status; DB_NOT_FOUND. */
enum db_rc db_account_lock(struct db_conn *c, long long id, char role[16], char status[16]);
/* The status of the account that role + subject belongs to; DB_NOT_FOUND when none does. */
enum db_rc db_account_status_by_subject(struct db_conn *c, const char *role, const char *subject,
                                        char status[16]);
/* The same without the lock (role and subject never change). */
enum db_rc db_account_role(struct db_conn *c, long long id, char role[16], char status[16]);
/* An account with its tokens (ids, labels, times; never hashes) as JSON text (malloc'd);
 * DB_NOT_FOUND when there is none. */
enum db_rc db_account_get(struct db_conn *c, long long id, char **json);
/* Change what is given (NULL: keep): name, regions ("" for none), status. */
enum db_rc db_account_update(struct db_conn *c, long long id, const char *name,
                             const char *regions_csv, const char *status);

/* Set an approver's own interests (NULL: none): their person's keyed hash (hex) and its masked
 * form, their employer's credit code (separation of duties). */
enum db_rc db_account_interests(struct db_conn *c, long long id, const char *person_hash,
                                const char *person_masked, const char *employer);
/* Does the account of token declare credit_code as the approver's employer (*yes)? */
enum db_rc db_account_employs(struct db_conn *c, long long token, const char *credit_code,
                              bool *yes);

struct db_account_filter {
    const char *role, *status, *region; /* NULL: any */
    long long after;                    /* keyset: ids above this */
    int limit;                          /* page size */
};
/* A page of accounts, ascending by id (keyed by id). */
enum db_rc db_account_list(struct db_conn *c, const struct db_account_filter *f,
                           struct db_page *out);
/* Issue a token of an account (t's hash, label, created_by and ttl_days; the role, subject and
 * regions are the account's); fills its id and expiry.  DB_NOT_FOUND without the account. */
enum db_rc db_account_token_insert(struct db_conn *c, long long account_id,
                                   const struct db_token_new *t, long long *id,
                                   char expires_at[32]);

/* ---- functional zones (region_insert.c) ---- */

/* A region's kind ("city", "district", ...); DB_NOT_FOUND when there is none. */
enum db_rc db_region_kind(struct db_conn *c, const char *code, char kind[32]);
enum db_zone_insert_outcome {
    DB_ZONE_ADDED,
    DB_ZONE_CODE_TAKEN, /* a region has this code (nothing written) */
};
/* Add a functional zone under a city; its JSON in *json (malloc'd) when added. */
enum db_rc db_zone_insert(struct db_conn *c, const char *code, const char *name, const char *parent,
                          enum db_zone_insert_outcome *outcome, char **json);

/* ---- reference data ---- */

/* The codes of codes_csv that are not known regions, in the order given, as a JSON array of
 * strings (*missing, caller decrefs; region_missing.c). */
enum db_rc db_region_missing(struct db_conn *c, const char *codes_csv, json_t **missing);
/* The same for a claim's body, and with enterprise (NULL: none) whether that enterprise is
 * registered (*registered), in one round trip (claim_refs.c). */
enum db_rc db_claim_refs(struct db_conn *c, const char *codes_csv, const char *enterprise,
                         json_t **missing, bool *registered);
/* The reference list of occupations (occupation.c).  Import upserts [{code, name}] (codes
 * canonical, each once) under source: *added new codes, *renamed ones whose name changed. */
enum db_rc db_occupation_import(struct db_conn *c, const char *rows_json, const char *source,
                                int *added, int *renamed);
/* The 0-based positions of the non-empty codes of codes_csv that are not in the list, in order:
 * the first max of them into pos, their number (up to max) into *count. */
enum db_rc db_occupation_missing(struct db_conn *c, const char *codes_csv, size_t *pos, size_t max,
                                 size_t *count);
/* Add a field_reference problem prefix[i].field to e for every row whose (valid) code in
 * member field is not in the list: one look-up for all rows. */
enum db_rc db_occupation_name_unknown(struct db_conn *c, struct jerrors *e, const json_t *rows,
                                      const char *prefix, const char *field);
/* A keyset page by code of the occupations whose code or name starts with q ("" for all). */
enum db_rc db_occupation_list(struct db_conn *c, const char *q, const char *after, int limit,
                              struct db_page *out);
/* All regions as a JSON array (*items, caller decrefs; region_list.c). */
enum db_rc db_region_list(struct db_conn *c, json_t **items);

/* ---- people (person.c) ---- */

/* A person as written; text values, NULL where absent.  id_hash, id_sealed and phone_sealed are
 * bytea literals from pii.h. */
struct db_person_write {
    const char *id_hash, *id_sealed, *id_masked, *name;
    const char *phone_sealed, *phone_masked;
    const char *owner_subject; /* the applicant's subject (profiles only) */
    const char *regions[5];    /* hukou, residence, employment, unemployment, training */
    const char *groups_json;   /* [{"group": ..., "evidence": ...}] */
    bool past_retirement_age;
};
/* A person as read (db_person_put, db_person_by_owner, db_person_by_id, db_person_employee);
 * the caller frees it with db_person_free. */
struct db_person {
    long long id;
    char *profile_json;                 /* the profile as shown: masked */
    char *id_sealed, *phone_sealed;     /* bytea literals; phone "" when none */
    char regions[5][SD_REGION_LEN + 1]; /* as in db_person_write; "" where none */
    char *groups_json;                  /* [{"group": ..., "evidence": ...}] */
    bool past_retirement_age;
};
void db_person_free(struct db_person *p);

/* What writing a profile came to. */
enum db_person_put_outcome {
    DB_PERSON_PUT_DONE,
    DB_PERSON_PUT_HELD_BY_OTHER, /* another applicant has registered this ID number */
    DB_PERSON_PUT_ID_CHANGED,    /* this applicant's profile has another ID number */
};
/* Create or replace the applicant's profile (keyed by ID number); *out is the person when
 * *outcome is DB_PERSON_PUT_DONE.  After the other outcomes the transaction is to roll back. */
enum db_rc db_person_put(struct db_conn *c, const struct db_person_write *w, struct db_person *out,
                         enum db_person_put_outcome *outcome);
/* The applicant's profile; DB_NOT_FOUND when none. */
enum db_rc db_person_by_owner(struct db_conn *c, const char *subject, struct db_person *out);
enum db_rc db_person_by_id(struct db_conn *c, long long id, struct db_person *out);
/* The person of an employee an enterprise claims for: found by ID number (the data held stays),
 * or added from w without an owner. */
enum db_rc db_person_employee(struct db_conn *c, const struct db_person_write *w,
                              struct db_person *out);

/* ---- claims (claim.c, claim_read.c) ---- */

/* A claim as written.  The decided fields (year .. review_due) matter when submit is true. */
struct db_claim_write {
    long long actor; /* token id */
    const char *request_id;
    const char *owner_role, *owner_subject;
    long long person_id;
    const char *region, *employer, *kind, *occupation, *level; /* NULL where absent */
    const char *input_json;
    const char *employee_name; /* the name an enterprise sent for its employee, or NULL */
    bool submit;
    int year, per_year;
    bool counts_quota, unique_occupation_level, once_per_year;
    const char *same_key; /* what the once-rule compares (sr_trace.same_key); "" or NULL: none */
    const char *policy_id;
    int policy_version;
    long long catalog_id; /* 0 = none */
    long long amount_fen;
    const char *decision_json, *review_due;
    bool review_due_estimated; /* counted over a year whose calendar is not loaded */
    /* the certificate the claim is paid on (kind name, number), tied to it when submitted;
     * NULL or "": none */
    const char *certificate_kind, *certificate_number;
    /* filed under 告知承诺制 (the policy offers it: the judgement said so); submitted, its
     * sample is drawn in the same statement (sql/0033) */
    bool commitment;
};
/* What a claim write came to. */
enum db_claim_write_outcome {
    DB_CLAIM_WRITTEN,
    DB_CLAIM_QUOTA_EXHAUSTED,           /* the person's yearly places are taken */
    DB_CLAIM_SAME_OCCUPATION_LEVEL,     /* a live claim holds the same occupation and level */
    DB_CLAIM_ONCE_A_YEAR_USED,          /* a live claim holds the once-a-year place */
    DB_CLAIM_CERTIFICATE_HELD_BY_OTHER, /* the certificate belongs to another person */
    DB_CLAIM_CERTIFICATE_USED,          /* it backs a live claim of the same kind already */
};
/* Insert a draft, or a submitted claim taking its quota place.  *json is the claim's summary
 * (malloc'd) when *outcome is DB_CLAIM_WRITTEN; after a conflict the transaction is to roll
 * back. */
enum db_rc db_claim_insert(struct db_conn *c, const struct db_claim_write *w, char **json,
                           enum db_claim_write_outcome *outcome);
/* Submit claim id, locked in from_state (draft), with the decided fields of w; the same
 * outcomes as db_claim_insert. */
enum db_rc db_claim_submit(struct db_conn *c, long long id, const char *from_state,
                           const struct db_claim_write *w, char **json,
                           enum db_claim_write_outcome *outcome);
/* Replace a draft's input (region, employer, kind, occupation, level, input_json of w);
 * DB_NOT_FOUND when it is no longer a draft. */
enum db_rc db_claim_edit(struct db_conn *c, long long id, const struct db_claim_write *w,
                         char **json);
/* Withdraw claim id from from_state, giving back its quota place; actor_role is the role the
 * actor acts in (the owner's, or "applicant" for the person an enterprise's claim is about). */
enum db_rc db_claim_withdraw(struct db_conn *c, long long id, const char *from_state,
                             const char *reason, long long actor, const char *actor_role,
                             const char *request_id, char **json);

/* Delete draft id with its timeline, writing its audit row (claim_delete.c); DB_NOT_FOUND when
 * it is no longer a draft. */
enum db_rc db_claim_delete(struct db_conn *c, long long id, long long actor,
                           const char *request_id);

/* A claim locked for a change (claim.c). */
struct db_claim_locked {
    char owner_role[16], owner_subject[SD_SUBJECT_LEN + 1];
    long long person_id;
    char state[16];
    char *input_json; /* malloc'd */
    char region[SD_REGION_LEN + 1], region_parent[SD_REGION_LEN + 1];
    char employer[SD_SUBJECT_LEN + 1];
    bool returned_before;
    char person_owner[SD_SUBJECT_LEN + 1]; /* the applicant the person is, or "" */
    /* read by db_claim_lock_review only: */
    bool assigned_other;     /* taken by another approver, the assignment not yet expired */
    char assigned_until[32]; /* RFC 3339, or "" */
    long long amount_fen;    /* the amount decided at submission (0 when none) */
    bool own_interest; /* about the acting approver, by them, or of their employer (account) */
};
enum db_rc db_claim_lock(struct db_conn *c, long long id, struct db_claim_locked *out);

/* One claim with its decision and timeline (claim_read.c). */
struct db_claim_view {
    char *json; /* masked */
    char owner_role[16], owner_subject[SD_SUBJECT_LEN + 1];
    char region[SD_REGION_LEN + 1], region_parent[SD_REGION_LEN + 1];
    char *id_sealed, *phone_sealed; /* bytea text; phone "" when none */
    long long person_id;
    bool never_submitted;                  /* a draft, or withdrawn as one: its owner's alone */
    char person_owner[SD_SUBJECT_LEN + 1]; /* the applicant the person is, or "" */
    char state[16];
};
/* Claim id as viewer_role sees it (an enterprise sees the name it sent, not the person's). */
enum db_rc db_claim_get(struct db_conn *c, long long id, const char *viewer_role,
                        struct db_claim_view *out);
void db_claim_view_free(struct db_claim_view *v);

struct db_claim_filter {
    const char *owner_role, *owner_subject;
    const char *state, *kind; /* NULL: any */
    int year;                 /* 0: any */
    long long after;          /* keyset: ids below this (newest first); 0 = from the newest */
    int limit;                /* the page size */
};
/* One page of claims (their summaries), newest first: at most f->limit items, next_after the
 * last id when more follow.  An applicant's list also holds the claims enterprises filed (not
 * drafts) about the person the applicant is. */
enum db_rc db_claim_list(struct db_conn *c, const struct db_claim_filter *f, struct db_page *out);

/* What the rule module reads from the database for a submission. */
struct db_claim_context_key {
    long long person_id, claim_id; /* claim_id 0 for a new claim */
    const char *person_hash; /* with person_id 0: the person by the keyed hash of the ID number */
    const char *policy_id;
    int year;                               /* the event year */
    const char *occupation, *catalog_level; /* the catalog entry; NULL for none */
    bool catalog_year_only;                 /* or the version's year-wide figure */
    const char *employer;   /* the one the claim names (the body's, or the claiming enterprise) */
    const char *event_date; /* the day employment and the trade-friction listing are read on */
    const char *today;      /* YYYY-MM-DD: the request's day, for the catalog version in force */
};
/* The most earlier claims of a person a submission is judged on (the rule module's history).
 * A person with more is refused rather than judged on part of them (db_claim_context). */
#define DB_CLAIM_HISTORY_MAX 64
/* One earlier claim of the person (not a draft), as the rules compare it. */
struct db_claim_history {
    int year;
    char occupation[32], level[16], kind[40], state[16];
    bool renewal;
};
struct db_claim_context {
    struct db_claim_history history[DB_CLAIM_HISTORY_MAX]; /* the newest first */
    size_t history_len;
    long long history_total; /* all of them: more than history_len when some were left out */
    /* the catalog version in force: its entry for the occupation and level, or for a year-only
     * claim the version's year-wide figure (and the uplift 0) */
    bool has_catalog;
    long long catalog_id, standard_fen, shortage_uplift_fen;
    bool shortage;
    int catalog_year;
    /* the employer's trade-friction listing on the event date */
    bool trade_friction_listed;
    char trade_friction_from[11], trade_friction_to[11]; /* to "" when open */
    char employer_region[SD_REGION_LEN + 1];             /* the registered enterprise's, or "" */
    bool occupation_known; /* the occupation is in the reference list, or none was named */
    /* What the employment records say on the event date (employment.c): {"employers": [credit
     * codes the person was insured with], "credit_code": the employer the rules use (the one
     * named when the records hold it; when none is named, the latest), "insured_from": its
     * record's first day, "ui_months": unemployment-insured months up to the event date}.
     * The listing and region above are the employer's the records give, not the one named. */
    char *employment_json;
};
enum db_rc db_claim_context(struct db_conn *c, const struct db_claim_context_key *k,
                            struct db_claim_context *out);
void db_claim_context_free(struct db_claim_context *x);
/* db_person_employee and db_claim_context (k, its person found by w's ID number) in one round
 * trip (person.c): the employee's row into *out and the context into *ctx, the context read
 * after the row is added.  Either both are filled or neither. */
enum db_rc db_person_employee_context(struct db_conn *c, const struct db_person_write *w,
                                      const struct db_claim_context_key *k, struct db_person *out,
                                      struct db_claim_context *ctx);

/* ---- employment records (employment.c) ---- */

/* Import records: JSON [{id_hash (bytea literal), credit_code, insured_from, insured_to (null =
 * still insured), kinds}], each (person, enterprise, insured_from) at most once; a record
 * already held is updated when it differs.  *added and *updated count the rows written. */
enum db_rc db_employment_import(struct db_conn *c, const char *records_json, const char *source,
                                long long actor, long *added, long *updated);

#endif
