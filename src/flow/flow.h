#ifndef SD_FLOW_H
#define SD_FLOW_H

/*
 * The use cases: one transaction body each, below the handlers (src/http) and above src/db and
 * src/rules — data flows http → flow → (rules, db) — so that the daemon,
 * subsidyctl and scheduled jobs judge and write claims with the same code.  A use case takes
 * who calls (a principal, not an HTTP request), runs on a connection inside the transaction
 * its caller opened, and says what happened in a struct flow_result.  Nothing here knows HTTP.
 */

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "jspec.h"
#include "ops.h"
#include "pii.h"
#include "sd_errors.h"
#include "sd_model.h"
#include "sr_rules.h"

/* Who calls a use case, and what it runs with. */
struct flow_caller {
    const struct sd_principal *who;
    const char *request_id;
    int32_t today;          /* the request's one date (cj_today: Asia/Shanghai) */
    struct jerrors *errors; /* the request's field problems: use cases add theirs */
    const struct sr_policy_set *policies;
    const struct sd_pii_keys *pii;
    int review_days; /* working days for a review (config) */
    int appeal_days; /* calendar days after a rejection to appeal it (config; 0: none) */
};

/* What a use case did. */
enum flow_outcome {
    FLOW_OK,      /* done: status and body */
    FLOW_INVALID, /* field problems in caller->errors, with members beside them */
    FLOW_REFUSED, /* refused as code says (not found, a conflict, not granted), with members */
    FLOW_DB,      /* the database failed (rc): retry, unavailable or hard */
};
struct flow_result {
    enum flow_outcome outcome;
    unsigned status; /* FLOW_OK: 200, 201 or 204 */
    json_t *body;    /* FLOW_OK: the representation (NULL for 204) */
    enum sd_err code;
    char detail[96]; /* FLOW_REFUSED: "" for the code's title alone */
    json_t *members; /* FLOW_INVALID, FLOW_REFUSED: more members of the problem, or NULL */
    enum db_rc rc;   /* FLOW_DB */
};
/* What a use case is given besides its caller: the object the request names (the path's {id},
 * 0 when it names none) and the input its handler checked, under the member the use case's
 * declaration names (claim.h, class.h).  Every use case has the one shape flow_use_case, so
 * that a handler, subsidyctl or a job runs any of them the same way. */
struct claim_create;
struct claim_review_in;
struct class_completion_in;
struct class_filing;
struct class_inspection_in;
struct class_results_in;
struct class_session_in;
struct class_signins_in;
struct class_roster_in;
struct class_step_in;
struct person_sealed;
struct claim_assign_in;
struct claim_appeal_in;
struct claim_verify_in;
struct review_job_in;
struct claim_objection_in;
struct flow_args {
    long long id;
    union {
        const char *reason;  /* flow_claim_withdraw: optional */
        const json_t *input; /* flow_claim_edit: the draft's new input */
        const struct claim_create *create;
        const struct person_sealed *person;
        const struct class_filing *filing;
        const struct class_roster_in *roster;
        const struct class_step_in *step;
        const struct class_completion_in *completion;
        const struct claim_review_in *review;
        const struct class_session_in *session;
        const struct class_signins_in *signins;
        const struct class_inspection_in *inspection;
        const struct class_results_in *results;
        const struct claim_assign_in *assign;       /* flow_claim_assign */
        const struct claim_appeal_in *appeal;       /* flow_claim_appeal */
        const struct claim_verify_in *verify;       /* flow_claim_verify */
        const struct review_job_in *job;            /* flow_review_job_create */
        const struct claim_objection_in *objection; /* flow_claim_object */
    } in;
};
struct db_conn;
typedef enum db_rc (*flow_use_case)(const struct flow_caller *c, struct db_conn *db,
                                    const struct flow_args *args, struct flow_result *res);

/* Set r to a refusal (members taken); returns DB_ABORT, what a refused transaction returns. */
enum db_rc flow_refuse(struct flow_result *r, enum sd_err code, const char *detail,
                       json_t *members);
/* The same for field problems already in the caller's errors. */
enum db_rc flow_invalid(struct flow_result *r, enum sd_err code, json_t *members);
/* Set r from a database outcome that is not DB_OK or DB_ABORT. */
enum db_rc flow_db(struct flow_result *r, enum db_rc rc);
/* Set r to done, taking body. */
enum db_rc flow_done(struct flow_result *r, unsigned status, json_t *body);
void flow_result_free(struct flow_result *r);

/* Add a problem the service finds from data only it holds (a code marked "caller" in
 * api/problems.csv, with its section and messages from there) to a judgement: the claim is then
 * not granted.  The last one makes room when the list is full. */
void flow_problem_add(struct sr_result *res, enum sr_problem_code code, const char *field);

/* The caller's role name ("applicant", ...). */
const char *flow_role(const struct flow_caller *c);
/* Region code for the rule module: a functional zone ("3309A1") counts as its city. */
int32_t flow_rule_region(const char *code);

#endif
