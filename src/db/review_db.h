#ifndef SD_DB_REVIEW_H
#define SD_DB_REVIEW_H

/* The approvers' side of claims: the review queue (review_queue.c, sql/0023_review_queue.sql)
 * and the decisions (claim_review.c, sql/0024_claim_decisions.sql); the owner's resubmission
 * (claim_resubmit.c, sql/0031_claim_resubmit_appeal.sql). */

#include "ops.h"

/* The queue's filters; "" or -1 for a filter not given. */
struct db_review_filter {
    const char *regions_csv; /* the approver's regions: a claim's region or its parent is one */
    const char *states_csv;  /* the states listed, e.g. "submitted,resubmitted,in_review" */
    const char *kind, *policy, *employer;
    long long amount_min, amount_max;          /* fen, each a bound only where its has_ says so */
    bool has_amount_min, has_amount_max;       /* false (as a zeroed filter has it): no bound */
    const char *submitted_from, *submitted_to; /* YYYY-MM-DD, Asia/Shanghai days, both kept */
    const char *due_before;                    /* YYYY-MM-DD: review_due earlier than it */
    bool overdue_only;
    const char *sampled; /* "true" / "false": in the 告知承诺 sample or not; NULL: either */
    const char *today;   /* YYYY-MM-DD: the request's day, for "overdue" */
    bool by_submission;  /* sort by submission time; else by deadline (review_due) */
    /* the keyset cursor of the previous page's last item ("" for the first page): its
     * deadline (YYYY-MM-DD) or submission time (microseconds since 1970), and its id */
    const char *after_key;
    long long after_id;
    int limit;
    long long caller_token; /* the approver's token: an appeal says whether they rejected it */
};
/* One page of the queue (items with masked persons; next_after the cursor "KEY_ID" as text, or
 * null) and *counts {by_state: {state: n}, overdue: n} for the same filters: one round trip. */
enum db_rc db_review_claims(struct db_conn *c, const struct db_review_filter *f,
                            struct db_page *page, json_t **counts);

/* The filters of the queue of class filings (review_classes.c); "" or NULL for a filter not
 * given. */
struct db_review_class_filter {
    const char *regions_csv; /* the approver's regions: a class's region or its parent is one */
    const char *states_csv;  /* the states listed, e.g. "filed,assessed" */
    const char *kind, *policy, *institution;
    const char *filed_from, *filed_to; /* YYYY-MM-DD filing days (Asia/Shanghai), both kept */
    const char *due_before;            /* YYYY-MM-DD: deadline earlier than it */
    bool overdue_only;
    const char *today; /* YYYY-MM-DD: the request's day, for "overdue" */
    bool by_filing;    /* sort by filing time; else by deadline */
    /* the previous page's last item ("" for the first page): its deadline (YYYY-MM-DD) or
     * filing time (microseconds since 1970), and its id */
    const char *after_key;
    long long after_id;
    int limit;
};
/* One page of the filings waiting for an approver (next_after the cursor "KEY_ID" as text, or
 * null) and *counts {by_state: {state: n}, overdue: n} for the same filters: one round trip. */
enum db_rc db_review_classes(struct db_conn *c, const struct db_review_class_filter *f,
                             struct db_page *page, json_t **counts);

/* Lock claim id for an approver's step (as db_claim_lock), with whether another approver than
 * the one of token actor holds it (an assignment not yet expired) and its amount. */
enum db_rc db_claim_lock_review(struct db_conn *c, long long id, long long actor,
                                struct db_claim_locked *out);

/* One step of a review, written with its timeline row (detail on it) and audit row. */
struct db_claim_review_step {
    long long id;
    const char *from_state, *to_state, *action; /* action: sr_claim_action_name */
    const char *reason;                         /* NULL: none */
    const char *detail_json;                    /* the step's detail on the timeline, or NULL */
    long long actor;                            /* token id */
    const char *request_id;
    /* approve: the amount, decision and catalog of the new judgement (NULL/-1/0: unchanged) */
    long long amount_fen, catalog_id;
    const char *decision_json;
    const char *return_fixes_json; /* return: the list of what to fix */
    int assign_minutes;            /* > 0: assign to actor for so long; 0: release; -1: keep */
};
/* *json: the claim's summary as an approver sees it (caller frees); DB_NOT_FOUND when the claim
 * is no longer in from_state.  A step to a state that is not live gives back the quota place. */
enum db_rc db_claim_review(struct db_conn *c, const struct db_claim_review_step *s, char **json);

/* ---- deadlines (review_days.c, sql/0029_review_deadlines.sql) ---- */

/* The working days a review of kind ("claim" or "class_filing") under policy in region has: the
 * region's own setting, its city's, or the policy's; DB_NOT_FOUND without one. */
enum db_rc db_review_days_for(struct db_conn *c, const char *kind, const char *policy,
                              const char *region, int *days);

/* Run s, a setting's upsert giving the row written and the earlier one (or NULL) as text:
 * *after, *before (the caller frees both); DB_NOT_FOUND when it wrote none. */
enum db_rc db_setting_write(struct db_conn *c, const struct db_stmt *s, const char *const *p,
                            char **after, char **before);
/* A setting as subsidyctl writes it (region NULL: every region of the policy). */
struct db_review_days {
    const char *kind, *policy, *region, *note;
    int days;
};
/* Write it: *after the row, *before the earlier one or NULL (the caller frees both). */
enum db_rc db_review_days_set(struct db_conn *c, const struct db_review_days *s, char **after,
                              char **before);

/* ---- sampling of 告知承诺 claims (sampling_setting.c, sql/0033_commitment_sampling.sql) ---- */

/* A sampling setting as subsidyctl writes it (region NULL: every region of the policy): the
 * random share in basis points (0..10000) and the amount in fen above which every commitment
 * claim is sampled. */
struct db_sampling_setting {
    const char *policy, *region, *note;
    int percent_bp;
    long long above_fen;
};
/* Insert it as a new version with a fresh random seed: *after the row, *before the scope's
 * previous version or NULL (the caller frees both). */
enum db_rc db_sampling_setting_set(struct db_conn *c, const struct db_sampling_setting *s,
                                   char **after, char **before);
/* Every setting (of policy, or all when NULL) as a JSON array text, in_force marking the newest
 * of each scope (the caller frees *json). */
enum db_rc db_sampling_settings(struct db_conn *c, const char *policy, char **json);

/* A commitment claim's sample row, locked: drawn into the sample or not, the outcome so far
 * ("" none).  DB_NOT_FOUND when the claim was never drawn (no commitment claim). */
struct db_claim_sample {
    bool sampled;
    char outcome[24];
};
enum db_rc db_claim_sample_lock(struct db_conn *c, long long id, struct db_claim_sample *out);
/* The verification of a sampled claim locked in from_state: outcome "confirmed" (the hold
 * lifted) or "false_commitment" (rejected, the quota place given back, clawback_due set), with
 * its timeline (detail_json) and audit rows; *json the claim's summary (malloc'd).  DB_NOT_FOUND
 * when it changed nothing. */
struct db_claim_verify_step {
    long long id, actor; /* actor: the approver's token */
    const char *outcome, *from_state, *note, *request_id, *detail_json;
};
enum db_rc db_claim_verify(struct db_conn *c, const struct db_claim_verify_step *s, char **json);

/* Every region's overdue items on day today (YYYY-MM-DD) by kind, *rows [{region, kind ("claim",
 * "class_filing"), overdue, oldest_days}] (the caller decrefs): for /metrics. */
enum db_rc db_overdue_figures(struct db_conn *c, const char *today, json_t **rows);

/* The waiting items of the regions (comma-separated; their districts too) by region and kind,
 * *rows [{region, kind, waiting, overdue, due_today, due_soon (after today up to soon_until),
 * oldest_overdue_days (null: none overdue)}] (the caller decrefs): the daily summary. */
enum db_rc db_review_summary(struct db_conn *c, const char *regions_csv, const char *today,
                             const char *soon_until, json_t **rows);

/* Name account (an active approver of region or of its city) region's supervisor: *after the
 * row, *before the earlier one or NULL (the caller frees both); DB_NOT_FOUND when the account
 * may not be. */
enum db_rc db_region_supervisor_set(struct db_conn *c, const char *region, long long account,
                                    char **after, char **before);
/* Escalate to the account of token (token 0: to every region's supervisor) the waiting items
 * of the regions it supervises (an item's region, else its city) due on or before due_by and
 * not escalated before, each audited (review.escalate, by actor): *count of them. */
enum db_rc db_escalate(struct db_conn *c, long long token, const char *due_by, long long actor,
                       const char *request_id, int *count);
/* *out {regions, items [{kind, id, region, due, escalated_at}]}: the regions token's account
 * supervises and its escalations still waiting (the caller decrefs). */
enum db_rc db_escalations(struct db_conn *c, long long token, json_t **out);
/* The owner resubmits returned claim id, locked (claim_resubmit.c): its quota place given back
 * (the resubmission's write takes one again), *fixes_json the list of what to fix and
 * *returned_input_json the input the claim was returned with (caller frees both). */
enum db_rc db_claim_resubmit_prepare(struct db_conn *c, long long id, char **fixes_json,
                                     char **returned_input_json);

/* Is token an approver's, live, of an active account, acting in region (or its city parent,
 * "" none)?  (claim_assign.c) */
enum db_rc db_claim_assignee_ok(struct db_conn *c, long long token, const char *region,
                                const char *parent, bool *ok);
/* A change of who holds a claim, in review after it, with its timeline and audit rows. */
struct db_claim_assign_step {
    long long id;
    const char *from_state;
    long long holder; /* the token that holds it now; 0: nobody (released) */
    long long actor;  /* token id */
    const char *request_id;
    const char *action;      /* "release" or "assign" */
    int assign_minutes;      /* the hold's length when the one before had expired */
    const char *detail_json; /* on the timeline, or NULL */
    const char *reason;      /* NULL: none */
};
/* *json: the claim's summary as an approver sees it (caller frees); DB_NOT_FOUND when it is no
 * longer in from_state. */
enum db_rc db_claim_assign(struct db_conn *c, const struct db_claim_assign_step *s, char **json);

/* ---- appeal (复议) of a rejection (claim_appeal.c, sql/0032_claim_appeal.sql) ---- */

/* What the timeline says of a claim's rejection and appeal. */
struct db_claim_appeal_facts {
    long long rejection_event; /* the latest rejection's timeline event id; 0: none */
    char last_day[16];         /* YYYY-MM-DD: the last day to appeal it, or "" */
    bool within;               /* today is on or before last_day */
    bool appealed_before;      /* once per claim */
    bool rejected_by_actor;    /* the rejection was made by the acting token's account */
    char policy[72];           /* the claim's policy id */
};
/* The facts of claim id (locked by the caller) for token actor, with days to appeal, on day today
 * (YYYY-MM-DD). */
enum db_rc db_claim_appeal_facts(struct db_conn *c, long long id, long long actor, int days,
                                 const char *today, struct db_claim_appeal_facts *out);
/* The owner's appeal of rejected claim id, with its timeline (detail) and audit rows. */
struct db_claim_appeal_step {
    long long id, actor; /* actor: token id */
    const char *request_id;
    const char *detail_json; /* {decision, reason} */
    const char *review_due;  /* YYYY-MM-DD */
    bool review_due_estimated;
};
/* *json: the claim's summary for its owner (caller frees); DB_NOT_FOUND when no longer rejected. */
enum db_rc db_claim_appeal(struct db_conn *c, const struct db_claim_appeal_step *s, char **json);
/* An overturned rejection takes claim id's place in its year's quota again (per_year places):
 * *taken false when they are used up (nothing written). */
enum db_rc db_claim_quota_retake(struct db_conn *c, long long id, int per_year, bool *taken);

#endif
