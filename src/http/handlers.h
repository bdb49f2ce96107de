#ifndef SD_HANDLERS_H
#define SD_HANDLERS_H

/* One handler per endpoint, each in the file named after its method and path. */

#include "claim_json.h"
#include "http.h"
#include "kit.h"

void get_health(struct req *r);
void get_ready(struct req *r);
void get_version(struct req *r);
void get_metrics(struct req *r);
void get_me(struct req *r);
void post_tokens(struct req *r);
void get_tokens(struct req *r);
void delete_tokens_ID(struct req *r);
void post_precheck(struct req *r);
void get_calendar_YEAR(struct req *r);
void put_admin_calendar_YEAR(struct req *r);
void get_working_days(struct req *r);
void post_admin_catalogs(struct req *r);
void get_plans(struct req *r);
void post_admin_regions(struct req *r);
void get_catalogs(struct req *r);
void get_catalogs_ID(struct req *r);
void get_catalogs_ID_entries(struct req *r);
void get_regions(struct req *r);
void post_admin_occupations(struct req *r);
void get_occupations(struct req *r);
void put_admin_enterprises_CODE(struct req *r);
void get_admin_enterprises(struct req *r);
void get_admin_enterprises_CODE(struct req *r);
void put_admin_institutions_CODE(struct req *r);
void post_admin_institutions_CODE_list_entries(struct req *r);
void get_institutions(struct req *r);
void get_institutions_CODE(struct req *r);
void put_admin_evaluation_bodies_CODE(struct req *r);
void post_admin_evaluation_bodies_CODE_list_entries(struct req *r);
void get_evaluation_bodies(struct req *r);
void get_evaluation_bodies_CODE(struct req *r);
void post_admin_certificate_records(struct req *r);
void get_public_institution_lists(struct req *r);
void get_public_institutions(struct req *r);
void post_admin_trade_friction(struct req *r);
void post_admin_employment_records(struct req *r);
void get_admin_trade_friction(struct req *r);
void post_admin_accounts(struct req *r);
void get_admin_accounts(struct req *r);
void get_admin_accounts_ID(struct req *r);
void patch_admin_accounts_ID(struct req *r);
void post_admin_accounts_ID_tokens(struct req *r);
void put_profile(struct req *r);
void get_profile(struct req *r);
void get_profile_record(struct req *r);
void get_persons_ID_record(struct req *r);
void put_admin_projects_CODE(struct req *r);
void get_public_projects(struct req *r);
void post_claims(struct req *r);
void get_claims(struct req *r);
void get_review_claims(struct req *r);
void get_review_classes(struct req *r);
void post_claims_ID_take(struct req *r);
void post_claims_ID_approve(struct req *r);
void post_claims_ID_reject(struct req *r);
void post_claims_ID_return(struct req *r);
void post_review_bulk(struct req *r);
void post_review_jobs(struct req *r);
void get_review_jobs_ID(struct req *r);
void get_review_jobs_ID_items(struct req *r);
void post_review_jobs_ID_cancel(struct req *r);
void put_admin_accounts_ID_interests(struct req *r);
void get_claims_ID(struct req *r);
void patch_claims_ID(struct req *r);
void post_claims_ID_submit(struct req *r);
void post_claims_ID_withdraw(struct req *r);
void delete_claims_ID(struct req *r);
void post_classes(struct req *r);
void get_classes(struct req *r);
void get_classes_ID(struct req *r);
void put_classes_ID_roster(struct req *r);
void get_classes_ID_roster(struct req *r);
void get_classes_ID_receipt(struct req *r);
void post_classes_ID_accept(struct req *r);
void post_classes_ID_reject(struct req *r);
void post_classes_ID_start(struct req *r);
void post_classes_ID_cancel(struct req *r);
void post_classes_ID_completion(struct req *r);
void post_classes_ID_sessions(struct req *r);
void get_classes_ID_sessions(struct req *r);
void post_classes_ID_sessions_SID_signins(struct req *r);
void get_classes_ID_attendance(struct req *r);
void post_classes_ID_inspections(struct req *r);
void get_classes_ID_inspections(struct req *r);
void post_classes_ID_results(struct req *r);
void get_classes_ID_results(struct req *r);
void post_classes_ID_close(struct req *r);

/* A year (2000 to 2100) from a path parameter, or false. */
bool param_year(const char *text, int *year);

/*
 * A write under the request's Idempotency-Key (required: 400 without it).  work runs inside one
 * transaction (possibly more than once, on serialization failures) and either returns DB_OK with
 * the reply to keep and send (NULL for a 204 without a body), or DB_ABORT after queuing an error
 * reply itself (nothing is kept), or another outcome (503/500).  A replay of the same request gets
 * the kept reply byte for byte; the same key with another request is a 422; a duplicate still
 * waiting for the first after lock_timeout is a 409.
 */
typedef enum db_rc (*idem_work)(struct req *r, struct db_conn *c, void *cls, unsigned *status,
                                json_t **reply);
void idempotent(struct req *r, idem_work work, void *cls);
/* The request's Idempotency-Key as idempotent() keeps it (who it belongs to, the request's hash),
 * and the thread's connection; NULL after queuing the 400 for a missing or malformed key, or
 * the 503 without a connection. */
struct idem_request {
    const char *key;
    char caller[96], hash[2 + 64 + 1];
};
struct db_conn *idem_request_key(struct req *r, struct idem_request *k);
/* The same for a reply that carries a secret (a token's): the stored reply lacks secret_field,
 * so the secret is sent in the first reply only and never kept; a replay omits it. */
void idempotent_secret(struct req *r, idem_work work, void *cls, const char *secret_field);
/* A dry run of the same work: run in a transaction on the same data, then rolled back, so that
 * the reply is what the write would answer (problems included) and nothing is kept — no effect,
 * no audit row, no Idempotency-Key used (none is needed).  A success is a 200 with
 * "dry_run": true added; a refusal is the same problem reply. */
void dry_run(struct req *r, idem_work work, void *cls);

/* Shared by handlers: a positive 64-bit id from a path parameter, or false. */
bool param_id(const char *text, long long *id);
/* The path's first parameter as such an id: false after queuing a 404 when it is not one. */
bool req_path_id(struct req *r, long long *id);

/* An array of strings from a comma-separated list ("" gives []). */
json_t *csv_to_json(const char *csv);

/* A unified social credit code with a correct GB 32100 check character. */
bool credit_code_ok(const char *s);
/* Looks like a region code (6 to 12 of [0-9A-Z]); whether it exists is the database's say. */
bool region_code_ok(const char *s);
/* A real calendar date as YYYY-MM-DD. */
bool date_text_ok(const char *s);
/* The same checks as field formats, saying what they allow (jspec.h). */
extern const struct jformat region_code_format, policy_id_format, subject_format;
/* An admin upload of rows: {"source", rows_name: [...]} as JSON, or a text/csv body with
 * ?source=.  Returns the rows (a new array, NULL when absent) with every problem in r->errors;
 * CSV cells are strings for the caller's own conversion. */
json_t *upload_rows(struct req *r, const char *rows_name, long long max_rows, const char **source);
/* The same with ?preview=true|false in the query (of a JSON or a CSV upload) into *preview. */
json_t *upload_rows_preview(struct req *r, const char *rows_name, long long max_rows,
                            const char **source, bool *preview);
/* The audit row of a change made by this request (who and which request come from r);
 * before/after are JSON text or NULL. */
enum db_rc req_audit(struct req *r, struct db_conn *c, const char *action, const char *kind,
                     const char *id, const char *before, const char *after);

/* A policy id as the policy files spell it: lower-case letters, digits and "-". */
bool policy_id_ok(const char *s);
/* Add a field_reference error on field when region code is unknown. */
enum db_rc check_region_exists(struct req *r, struct db_conn *db, const char *field,
                               const char *code);
/* A subject: [A-Za-z0-9._-] (length is the field spec's). */
bool subject_ok(const char *s);
/* An applicant's subject: the person's ID number given in field (a lower-case x is read as X),
 * as its keyed hash (hex, what is stored) and its masked form (what is shown); false with a
 * field error on field when it is not a valid resident ID number. */
bool applicant_subject(struct req *r, const char *field, const char *id_number,
                       char subject[SD_SUBJECT_LEN + 1], char masked[19]);
/* Add a field_reference error on regions[i] for each unknown region code of the string array
 * regions; csv gets them comma-separated. */
enum db_rc check_regions_exist(struct req *r, struct db_conn *db, const json_t *regions, char *csv,
                               size_t csvlen);
/* Add a field_reference error on fields[i] for each codes[i] that is not a known region (NULL
 * codes are skipped); one query for all. */
enum db_rc check_region_fields(struct req *r, struct db_conn *db, const char *const *fields,
                               const char *const *codes, size_t n);
/* Its two halves, for a look-up that asks more in the same round trip: the non-NULL codes
 * comma-separated into csv, and the errors for the codes of missing (db_region_missing). */
void region_fields_csv(const char *const *codes, size_t n, char *csv, size_t len);
void region_fields_errors(struct req *r, const char *const *fields, const char *const *codes,
                          size_t n, const json_t *missing);
/* Reply 200 {items, next_after} with a page of a list; takes what the page holds. */
void reply_list(struct req *r, struct db_page *page);

/* deadlines (承诺时限) */
void get_review_summary(struct req *r);
void get_review_escalations(struct req *r);
/* issue 13: resubmission, release and reassignment, appeal */
void post_claims_ID_resubmit(struct req *r);
void post_claims_ID_release(struct req *r);
void post_claims_ID_assign(struct req *r);
/* issue 13: appeal (复议) of a rejection */
void post_claims_ID_appeal(struct req *r);
void post_claims_ID_uphold(struct req *r);
/* issue 14: public notice (结果公示) and objections */
void get_public_notices(struct req *r);
void post_claims_ID_objections(struct req *r);
void post_claims_ID_objections_OID_dismiss(struct req *r);
void post_claims_ID_objections_OID_uphold(struct req *r);
void get_objections_ID(struct req *r);
/* issue 13: verification of sampled 告知承诺 claims */
void post_claims_ID_verify(struct req *r);

/* issue 14: the finance role's reads (payee readiness, funding lines) */
void get_finance_readiness(struct req *r);
void get_finance_funding_lines(struct req *r);
void post_admin_payee_accounts(struct req *r);

#endif
