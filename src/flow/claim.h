#ifndef SD_FLOW_CLAIM_H
#define SD_FLOW_CLAIM_H

/*
 * The claim use cases: create (a draft, or submitted at once), edit a draft, submit it,
 * withdraw, delete a draft — each one transaction body on the caller's connection, returning
 * what happened in a struct flow_result — and what they share: who may touch a claim, the
 * stored input, the judgement and the review deadline.
 */

#include "claim_json.h"
#include "employment.h"
#include "flow.h"
#include "person.h"
#include "sr_workflow.h"

/* A claim body: POST /v1/claims (create) or PATCH /v1/claims/{id} (not create).  Borrowed
 * from the JSON it was parsed from. */
struct claim_in {
    const char *region;
    const json_t *claim;    /* the rule module's claim object (see POST /v1/precheck) */
    const json_t *employer; /* {credit_code, ui_months, hire_date} */
    const json_t *employee; /* enterprises, on create */
    bool submit;
    bool dry_run; /* answer as the request would, write nothing */
    const char *employer_code, *hire_date;
    long long ui_months;
    struct cj_person_in emp;
};
/* What is stored as the claim's input: {region, claim, employer}; the claim's payee, when not
 * given, is the caller (the worker, or the enterprise).  A new object. */
json_t *claim_input(const struct flow_caller *c, const struct claim_in *in);
/* The parts of a stored input, borrowed from it. */
void claim_input_read(const json_t *input, struct claim_in *in);

/* ---- who may touch a claim (claim_access.c) ---- */

/* Is who the claim's owner? */
bool claim_owned(const struct sd_principal *who, const char *owner_role, const char *owner_subject);
/* May who see this claim: its owner, or an approver of its region (or its city) once it was
 * submitted (a draft is its owner's alone)? */
bool claim_visible(const struct sd_principal *who, const char *owner_role,
                   const char *owner_subject, const char *region, const char *region_parent,
                   bool never_submitted);
/* May who, a finance officer, see this claim: of its regions (or its city), and approved or
 * later (approved, in_notice, objected, payable, paid) — what disbursement prepares? */
bool claim_visible_to_finance(const struct sd_principal *who, const char *region,
                              const char *region_parent, const char *state);
/* Is who the applicant a claim filed by an enterprise is about (person_owner: the claim's
 * person's applicant, or "")?  They may read it and withdraw it; drafts stay the enterprise's
 * own. */
bool claim_about_caller(const struct sd_principal *who, const char *person_owner,
                        const char *state);

/* ---- the use cases ---- */

/* Create a claim (claim_submit.c).  The person is the applicant's profile (refused
 * profile_required without one) or, for an enterprise, the employee found or added by ID
 * number; employee is NULL when its fields are wrong (the claim is then judged without the
 * person, for the one reply).  A submission is judged on what the database holds and written
 * when it passes.  Its args->in.create: */
struct claim_create {
    const json_t *input; /* claim_input() */
    bool submit;
    const struct person_sealed *employee; /* enterprises */
    const char *employee_name; /* the name an enterprise sent (shown to it, never the person's) */
};
enum db_rc flow_claim_create(const struct flow_caller *c, struct db_conn *db,
                             const struct flow_args *args, struct flow_result *res);
/* The owner submits draft args->id (claim_submit.c), judged as a claim created with submit. */
enum db_rc flow_claim_submit(const struct flow_caller *c, struct db_conn *db,
                             const struct flow_args *args, struct flow_result *res);
/* The owner replaces draft (or returned claim) args->id's region, claim and employer with
 * args->in.input (claim_edit.c). */
enum db_rc flow_claim_edit(const struct flow_caller *c, struct db_conn *db,
                           const struct flow_args *args, struct flow_result *res);
/* The owner, or the person an enterprise's claim is about, withdraws claim args->id with an
 * optional args->in.reason (claim_withdraw.c). */
enum db_rc flow_claim_withdraw(const struct flow_caller *c, struct db_conn *db,
                               const struct flow_args *args, struct flow_result *res);
/* The owner deletes draft args->id (claim_delete.c): a 204. */
enum db_rc flow_claim_delete(const struct flow_caller *c, struct db_conn *db,
                             const struct flow_args *args, struct flow_result *res);
/* An applicant registers or replaces their profile, args->in.person (profile_put.c), audited
 * (masked). */
enum db_rc flow_profile_put(const struct flow_caller *c, struct db_conn *db,
                            const struct flow_args *args, struct flow_result *res);

/* An approver's step on a claim of their region (claim_review.c): take it from the queue
 * (assigned to them for assign_minutes), then approve it — judged again on the database's data
 * as it is now; refused approval_answer_changed with the new problems when it no longer passes,
 * approval_amount_changed with both amounts when only the amount changed, unless
 * confirm_amount_fen is the new one — reject it with reason codes, or return it for correction
 * once with the complete list of what to fix.  args->in.review: */
struct claim_review_in {
    enum sr_claim_action action;  /* SR_CLAIM_TAKE, _APPROVE, _REJECT, _RETURN or _UPHOLD */
    const char *reason;           /* NULL: none (reject, uphold: required, by the handler) */
    const json_t *reason_codes;   /* reject: the codes (checked by the handler) */
    const json_t *fixes;          /* return: [{field, reason}] (checked by the handler) */
    long long confirm_amount_fen; /* approve: -1 none */
    int assign_minutes;           /* take */
    long long objection;          /* dismiss_objection, uphold_objection: the objection's id */
};
enum db_rc flow_claim_review(const struct flow_caller *c, struct db_conn *db,
                             const struct flow_args *args, struct flow_result *res);

/* ---- public notice (结果公示) and objections (claim_notice.c, sql/0036_notice.sql) ---- */

/* The notice period where no setting says otherwise: 5 working days, the most common practice. */
#define NOTICE_DAYS_DEFAULT 5
/* Claims a close makes payable in one transaction. */
#define NOTICE_CLOSE_BATCH 1000

/* Open claim id's notice period from from_state, in the caller's transaction (the claim locked):
 * after an approval (from "approved": nothing when the claim's setting is monthly, *json NULL) or
 * after a dismissed objection (from "objected": the period starts again, on the same list).  The
 * period starts today and ends the setting's number of working days after it (the calendar).
 * *json the claim's summary (caller frees). */
struct claim_notice_step {
    long long id;
    const char *from_state, *action, *reason, *detail_json;
};
enum db_rc claim_notice_begin(const struct flow_caller *c, struct db_conn *db,
                              const struct claim_notice_step *s, char **json,
                              struct flow_result *res);
/* An objection to claim args->id by anyone authenticated, until its notice's last day (refused
 * notice_period_ended after it, objection_already_open while one is under review, not_found for
 * a claim not in notice: a stranger cannot tell it from a missing one).  The claim goes
 * in_notice -> objected, back in its region's queue with a new review deadline.  201 with the
 * objection as its objector sees it.  args->in.objection: */
struct claim_objection_in {
    const char *reason;   /* 1..2000 characters (checked by the handler) */
    const char *evidence; /* NULL or 1..500 characters: a reference to evidence */
};
enum db_rc flow_claim_object(const struct flow_caller *c, struct db_conn *db,
                             const struct flow_args *args, struct flow_result *res);
/* Objection objection of claim id may be decided by the caller: not_found, objection_own (the
 * objector's account), objection_not_open. */
enum db_rc claim_objection_check(const struct flow_caller *c, struct db_conn *db, long long id,
                                 long long objection, struct flow_result *res);
/* Write the decision on the objection (upheld or dismissed) with reason. */
enum db_rc claim_objection_decide(const struct flow_caller *c, struct db_conn *db, long long id,
                                  long long objection, bool upheld, const char *reason,
                                  struct flow_result *res);
/* Close every notice period that ended before today with no open objection, in batches of
 * NOTICE_CLOSE_BATCH each in its own transaction (db_txn): *closed the claims made payable. */
enum db_rc notice_close_all(struct db_conn *db, const char *request_id, int32_t today, int *closed);

/* Approve or reject many claims (review_bulk.c): each item as flow_claim_review would decide it
 * — a claim still waiting in the queue taken first — in its own transaction, its answer kept
 * under in->key and its id with in->hash, so that the request is idempotent as a whole and a
 * retry decides only what was not decided.  Not a flow_use_case: it runs many transactions. */
struct review_bulk_in {
    enum sr_claim_action action; /* SR_CLAIM_APPROVE or SR_CLAIM_REJECT */
    const json_t *claim_ids;     /* distinct ids (checked by the handler) */
    const char *reason;          /* NULL: none (reject: required) */
    const json_t *reason_codes;  /* reject: the codes */
    int assign_minutes;          /* the take of a waiting claim */
    /* the request's idempotency key as idempotent.c keeps it, and the prefix of its items' keys
     * (item_prefix "#" id: a '#' no client's key has) */
    const char *caller, *key, *hash, *route, *item_prefix;
};
struct review_bulk_out {
    json_t *items; /* [{claim_id, status, claim: {id, state, amount_fen} | problem}], owned */
    int decided, refused;
    bool replayed;   /* the key was kept by an earlier run of this request */
    bool key_reused; /* ... by another request: nothing done */
};
enum db_rc flow_review_bulk(const struct flow_caller *c, struct db_conn *db,
                            const struct review_bulk_in *in, struct review_bulk_out *out);
/* One item of a bulk decision or a review job (review_bulk.c): claim_id decided as
 * flow_claim_review would (a claim still waiting in the queue taken first, in the caller's
 * transaction), and the item's answer from its result, {claim_id, status, claim: {id, state,
 * amount_fen}} or {claim_id, status, problem} (the caller decrefs). */
struct review_item_step {
    enum sr_claim_action action; /* SR_CLAIM_APPROVE or SR_CLAIM_REJECT */
    const char *reason;          /* NULL: none */
    const json_t *reason_codes;  /* reject: the codes */
    int assign_minutes;          /* the take of a waiting claim */
};
enum db_rc review_item_decide(const struct flow_caller *c, struct db_conn *db, long long claim_id,
                              const struct review_item_step *s, struct flow_result *res);
json_t *review_item_answer(const struct flow_caller *c, long long claim_id,
                           const struct flow_result *res);

struct db_review_filter;
/* Bulk review jobs (review_job.c): a job of up to max_items claims the selection names in the
 * approver's regions, recorded with its items in the caller's transaction and audited; the
 * worker then decides its items one at a time, each in its own transaction. */
struct review_job_in {
    const char *action; /* "approve" or "reject" */
    const char *reason; /* NULL: none */
    const json_t *reason_codes;
    const json_t *selection;               /* as the request gave it, kept with the job */
    const struct db_review_filter *filter; /* the claims it names (regions and today set) */
    long long class_id;                    /* 0: none */
    int max_items;
};
/* args->in.job; res: 202 with the job, or refused review_job_empty / review_job_too_large (with
 * the count). */
enum db_rc flow_review_job_create(const struct flow_caller *c, struct db_conn *db,
                                  const struct flow_args *args, struct flow_result *res);
/* 200 with the job after cancelling what is not decided yet; not_found, review_job_ended. */
enum db_rc flow_review_job_cancel(const struct flow_caller *c, struct db_conn *db,
                                  const struct flow_args *args, struct flow_result *res);
/* What the worker is given: how it judges (the caller's fields but who, request_id and today,
 * which each item sets). */
struct review_job_worker {
    const struct sr_policy_set *policies;
    const struct sd_pii_keys *pii;
    int review_days, assign_minutes;
    bool lang_en; /* the items' problems in English */
};
/* Decide the next waiting item of any job, in its own transaction(s): *worked whether there was
 * one (false: nothing waits; the jobs' states are settled). */
enum db_rc flow_review_job_step(const struct review_job_worker *w, struct db_conn *db,
                                bool *worked);

/* The owner resubmits returned claim args->id (claim_resubmit.c), edited since with PATCH:
 * judged again as a submission on the database's data, back in the review queue as
 * resubmitted; refused resubmission_unchanged with the list when none of the fields the return
 * named changed. */
enum db_rc flow_claim_resubmit(const struct flow_caller *c, struct db_conn *db,
                               const struct flow_args *args, struct flow_result *res);

/* Who holds a claim in review (claim_assign.c): the approver holding it gives it back to the
 * queue with an optional args->in.reason (refused claim_not_held otherwise); an approver of the
 * claim's city (refused assign_not_supervisor otherwise) gives it to another approver of the region
 * (refused assignee_not_approver otherwise), taking it from the queue on their behalf when it waits
 * there; a hold not yet expired keeps its expiry.  args->in.assign: */
struct claim_assign_in {
    long long approver_token_id; /* the approver's token */
    int assign_minutes;          /* the hold's length when it had expired or there was none */
};
enum db_rc flow_claim_release(const struct flow_caller *c, struct db_conn *db,
                              const struct flow_args *args, struct flow_result *res);
enum db_rc flow_claim_assign(const struct flow_caller *c, struct db_conn *db,
                             const struct flow_args *args, struct flow_result *res);

/* The owner appeals (复议) rejected claim args->id (claim_appeal.c): once per claim (refused
 * claim_already_appealed), within the caller's appeal_days of the rejection (refused
 * appeal_period_passed with the last day), naming the rejection's timeline event (refused
 * appeal_decision_mismatch on the field "decision"); back in the approvers' queue as appealed
 * with a new review deadline.  An approver other than the one who rejected it then overturns it
 * (approve) or upholds the rejection (flow_claim_review).  args->in.appeal: */
struct claim_appeal_in {
    long long decision; /* the rejection's timeline event id */
    const char *reason; /* 1..2000 characters (checked by the handler) */
};
enum db_rc flow_claim_appeal(const struct flow_caller *c, struct db_conn *db,
                             const struct flow_args *args, struct flow_result *res);
/* The appeal as claim's owner sees it, from its timeline: {stage (possible, period_passed,
 * appealed, decided), last_day, filed_at, decided_at, outcome (upheld, overturned), reason}, or
 * NULL when the claim was never rejected (a new object). */
json_t *claim_appeal_view(const json_t *claim, int appeal_days, int32_t today);
/* The verification of a sampled 告知承诺 claim (claim_verify.c) by an approver of its region
 * (separation of duties and another's hold as for a decision): confirmed lifts the hold that
 * keeps it from being paid; false_commitment rejects it from any state before paid (reason code
 * commitment_false, the quota place given back) and flags it clawback_due.  Refused
 * claim_not_sampled (no commitment claim, or not drawn), claim_already_verified,
 * claim_not_verifiable (withdrawn, rejected or paid).  args->in.verify: */
struct claim_verify_in {
    const char *outcome; /* "confirmed" or "false_commitment" */
    const char *note;    /* what the verification found, or NULL */
};
enum db_rc flow_claim_verify(const struct flow_caller *c, struct db_conn *db,
                             const struct flow_args *args, struct flow_result *res);

/* ---- shared by the use cases ---- */

/* Lock claim id for a change by its owner: DB_OK, or refused not_found when there is no such
 * claim or it is someone else's (claim_access.c).  The caller frees out->input_json either
 * way. */
enum db_rc claim_lock_owned(const struct flow_caller *c, struct db_conn *db, long long id,
                            struct db_claim_locked *out, struct flow_result *res);
/* The same for a draft: refused claim_state_conflict when the claim is no longer one. */
enum db_rc claim_lock_draft(const struct flow_caller *c, struct db_conn *db, long long id,
                            struct db_claim_locked *out, struct flow_result *res);
/* Lock claim id for an approver's step (claim_review.c): refused not_found when it is a draft or
 * outside the caller's regions.  The caller frees out->input_json either way. */
enum db_rc claim_lock_approver(const struct flow_caller *c, struct db_conn *db, long long id,
                               struct db_claim_locked *out, struct flow_result *res);
/* The same for a decision on it: refused review_own_interest (separation of duties) when it is
 * the approver's own matter, claim_assigned when another approver holds it. */
enum db_rc claim_lock_reviewer(const struct flow_caller *c, struct db_conn *db, long long id,
                               struct db_claim_locked *out, struct flow_result *res);
/* May the caller apply action to the locked claim?  DB_OK, or refused claim_state_conflict
 * naming the current state. */
enum db_rc claim_may(const struct flow_caller *c, const struct db_claim_locked *k,
                     enum sr_claim_action action, struct flow_result *res);

/* The submission (claim_submit.c) takes the judgement of claim_judge.c. */
struct submission {
    const json_t *input;
    long long person_id;
    const struct db_person *person; /* read in this transaction, or NULL to read it */
    /* or an employee to find or add by ID number in the round trip of the claim's context
     * (a submission; person_id is then the judgement's) */
    const struct db_person_write *employee;
    long long claim_id;     /* 0: a new claim */
    const char *from_state; /* "draft" for an existing claim */
    const char *owner_role, *owner_subject;
    const char *employee_name;
    bool submit; /* false: store a draft, no judgement */
};
/* Everything one judgement needs, on the heap (the history alone is several KiB). */
struct judgement {
    struct cj_request cr;
    struct sr_result result;
    struct db_claim_context ctx;
    struct employment_used employment;
    long long person_id;     /* the person judged */
    struct db_person person; /* the employee's row, when found or added by the judgement */
};
/* Judge s->input on the person and what the database holds into j (claim_judge.c); refused
 * with the field problems when the request cannot be judged. */
enum db_rc claim_judge(const struct flow_caller *c, struct db_conn *db, const struct submission *s,
                       const struct claim_in *in, struct judgement *j,
                       const struct sr_policy **policy, struct flow_result *res);
/* Judge and write claim id, locked in k (a draft submitted, a returned claim resubmitted), as
 * a submission of input (claim_submit.c). */
enum db_rc claim_submit_locked(const struct flow_caller *c, struct db_conn *db, long long id,
                               const struct db_claim_locked *k, const json_t *input,
                               struct flow_result *res);
/* The employer: the one named, or the enterprise itself for its own claims. */
const char *claim_employer(const char *owner_role, const char *owner_subject,
                           const struct claim_in *in);

/* What a submission checks beside the rule module (claim_guards.c): the problem
 * occupation_unknown in res when the claim's (canonical) occupation is not in the reference
 * list (the context read says).  Its certificate is tied to it by the write, refused
 * certificate_held_by_other or certificate_used when it is another person's or backs a live
 * claim of the same kind (claim_submit.c). */
void claim_occupation_known(const struct db_claim_context *ctx, struct sr_result *res);

/* ---- the review deadline (calendar.c) ---- */

/* today plus the review's working days, on the calendar this worker keeps (reloaded every few
 * minutes or when claims_calendar_changed was called); *estimated when it runs over a year
 * whose calendar is not loaded. */
enum db_rc review_due(struct db_conn *db, int32_t today, int review_days, char out[SR_DATE_STRLEN],
                      bool *estimated);
/* The working days a review of kind ("claim", "class_filing") under policy in region has: the
 * most specific subsidyctl review-days setting (the region's, its city's, the policy's), else
 * fallback (the daemon's option). */
enum db_rc review_days_for(struct db_conn *db, const char *kind, const char *policy,
                           const char *region, int fallback, int *days);
/* The daily summary of the waiting claims and class filings of the regions (comma-separated,
 * their districts too): {today, working_days, due_soon_until (today plus days working days),
 * due_soon_until_estimated, items [{region, kind, waiting, overdue, due_today, due_soon,
 * oldest_overdue_days}]} (review_deadlines.c; the caller decrefs). */
enum db_rc review_summary(struct db_conn *db, const char *regions_csv, int32_t today, int days,
                          json_t **out);
/* Escalate to who (their account: the supervisor of regions) the waiting items of those regions
 * overdue by more than after_days working days on the calendar, each once and audited, in one
 * transaction; *out {regions, items [{kind, id, region, due, escalated_at}], escalated_now}
 * (the caller decrefs). */
enum db_rc review_escalations(struct db_conn *db, const struct sd_principal *who,
                              const char *request_id, int32_t today, int after_days, json_t **out);
/* The same pass for every region's supervisor at once (subsidyctl review escalate, from a daily
 * timer), audited by the CLI (no actor): *out {due_by, escalated_now} (the caller decrefs). */
enum db_rc review_escalate_all(struct db_conn *db, const char *request_id, int32_t today,
                               int after_days, json_t **out);
/* This process replaced a year of the calendar: every worker reloads its copy before the next
 * review deadline. */
void claims_calendar_changed(void);
/* Is year among the loaded ones? */
bool calendar_year_loaded(const struct db_year_list *years, int year);

#endif
