#ifndef SD_CLAIMS_H
#define SD_CLAIMS_H

/*
 * What the claim and profile endpoints share: the request as the caller of a use case
 * (src/flow/claim.h), the one mapping of a use case's result to a reply, the person and claim
 * bodies with their regions checked, and the reveal of a person's ID number and phone.
 */

#include "claim.h"
#include "handlers.h"
#include "ops.h"

/* This request as the caller of a use case; today is read once here, so a handler computes it
 * once and keeps it for the whole request. */
struct flow_caller req_caller(struct req *r);

/* A use case as this request runs it: who calls, which use case, what it is given. */
struct call {
    struct flow_caller caller;
    flow_use_case run;
    struct flow_args args;
};
/* The call of run by this request (its caller from req_caller, no id, no input yet). */
struct call req_call(struct req *r, flow_use_case run);
/* The path's {id} into call->args.id: false after queuing a 404 when it is not an id. */
bool call_path_id(struct req *r, struct call *call);
/* Run the call in one transaction under the request's Idempotency-Key (idempotent), or as a
 * dry run that keeps nothing (dry_run); what it says is the reply: its body, its field problems
 * (422) or the refusal it names. */
void call_keyed(struct req *r, struct call *call);
void call_dry_run(struct req *r, struct call *call);

/* Every region a person object names must exist (a field error on each one that does not). */
enum db_rc person_check_regions(struct req *r, struct db_conn *db, const char *prefix,
                                const struct cj_person_in *p);

/* Check a claim body (all problems at once, nothing read from the database but the regions),
 * as the caller's role allows (claim_body.c). */
void claim_body_parse(struct req *r, const json_t *body, bool create, int32_t today,
                      struct claim_in *in);
/* Every region the body names (its own, and its employee's) must exist, and with enterprise
 * (NULL: none) *registered says whether that enterprise is registered: one round trip. */
enum db_rc claim_check_refs(struct req *r, struct db_conn *db, const struct claim_in *in,
                            const char *enterprise, bool *registered);

/* POST /v1/claims/{id}/{take,approve,reject,return} (claim_review.c): the body checked, then
 * the approver's step under the Idempotency-Key. */
void claim_review_step(struct req *r, enum sr_claim_action action);
/* POST /v1/claims/{id}/objections/{oid}/{dismiss,uphold} (claim_review.c): {reason} checked,
 * then the approver's decision on the objection under the Idempotency-Key. */
void claim_objection_step(struct req *r, enum sr_claim_action action);
/* Why an approver rejects a claim (NULL-terminated; api/openapi.yaml ClaimRejectReason). */
extern const char *const claim_reject_codes[];
/* A bulk decision's or a review job's reasons (body members reason, reason_codes) for action
 * ("approve", "reject" or NULL when it was wrong): a rejection needs both, an approval takes
 * no codes; each problem into r->errors. */
void decision_reasons_check(struct req *r, const char *action, const char *reason,
                            const json_t *codes);
/* The required member "action" of a bulk decision or a review job: "approve" or "reject". */
struct jfield jfield_decision_action(const char **out);
/* Review job id as the caller may read it (GET /v1/review/jobs/{id}): *json (caller frees), or
 * DB_NOT_FOUND when it is not theirs to see. */
enum db_rc review_job_read(struct req *r, struct db_conn *db, long long id, char **json);

/* The reveal=true|false query of a detail view; false with a 400 queued when malformed. */
bool reveal_query(struct req *r, bool *reveal);
/* Add id_number and phone in full to obj and write the reveal to the audit log (its own
 * transaction). */
enum db_rc reveal_person(struct req *r, struct db_conn *db, long long person_id,
                         const char *id_sealed, const char *phone_sealed, json_t *obj);

/* The review queue's filters into f (review_filter.c): from the query with obj NULL (with the
 * page's sort, after and limit; key holds the cursor), else from the object obj whose fields
 * are named prefix.field (no page); the state one of states.  False when a field is wrong (in
 * r->errors). */
struct db_review_filter;
bool review_filter_read(struct req *r, const json_t *obj, const char *prefix,
                        const char *const *states, struct db_review_filter *f, char *key,
                        size_t keylen);

#endif
