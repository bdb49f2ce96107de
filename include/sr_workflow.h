/* The claim and class state machines of src/rules/domain/WORKFLOW.md, as tables.
 *
 * The daemon asks these functions which transition a role may make instead of spreading `if`s;
 * object-level checks (is this the claim's own applicant, is the approver scoped to the region)
 * stay with the daemon. All functions are pure and thread-safe. */
#ifndef SR_WORKFLOW_H
#define SR_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* enum sr_role, sr_claim_state, sr_class_state and their names: api/vocabulary.csv */
#include "sr_vocab.h"

enum sr_claim_action {
    SR_CLAIM_SUBMIT = 0,        /* draft -> submitted */
    SR_CLAIM_TAKE,              /* submitted | resubmitted -> in_review; appealed, objected stay */
    SR_CLAIM_RETURN,            /* in_review -> returned, once per claim */
    SR_CLAIM_RESUBMIT,          /* returned -> resubmitted */
    SR_CLAIM_APPROVE,           /* in_review | appealed (overturned) -> approved */
    SR_CLAIM_REJECT,            /* in_review -> rejected */
    SR_CLAIM_WITHDRAW,          /* draft .. resubmitted -> withdrawn, before approval */
    SR_CLAIM_OPEN_NOTICE,       /* approved -> in_notice */
    SR_CLAIM_OBJECT,            /* in_notice -> objected */
    SR_CLAIM_NOTICE_ELAPSED,    /* in_notice -> payable */
    SR_CLAIM_PAY,               /* payable -> paid */
    SR_CLAIM_APPEAL,            /* rejected -> appealed (复议), once, by its owner */
    SR_CLAIM_UPHOLD,            /* appealed -> rejected: the rejection stands */
    SR_CLAIM_DISMISS_OBJECTION, /* objected -> in_notice: the notice period starts again */
    SR_CLAIM_UPHOLD_OBJECTION,  /* objected -> rejected: the grant is cancelled */
    SR_CLAIM_ACTION_COUNT
};

enum sr_class_action {
    SR_CLASS_ACCEPT = 0, /* filed -> accepted */
    SR_CLASS_REJECT,     /* filed -> rejected */
    SR_CLASS_START,      /* accepted -> running, from the start date on */
    SR_CLASS_COMPLETE,   /* running -> completed */
    SR_CLASS_ASSESS,     /* completed -> assessed */
    SR_CLASS_CLOSE,      /* assessed -> closed */
    SR_CLASS_CANCEL,     /* filed | accepted -> cancelled, before the start date */
    SR_CLASS_ACTION_COUNT
};

enum sr_transition_status {
    SR_TRANSITION_OK = 0,
    SR_TRANSITION_INVALID_ARGUMENT, /* a state, action or role out of range */
    SR_TRANSITION_NOT_FROM_STATE,   /* the action does not apply to the current state */
    SR_TRANSITION_ROLE_NOT_ALLOWED, /* it applies, but not for this role */
    SR_TRANSITION_ALREADY_RETURNED, /* return for correction happens at most once */
    SR_TRANSITION_TOO_EARLY,        /* class start before its start date */
    SR_TRANSITION_TOO_LATE,         /* class cancel on or after its start date */
};

/* Stable codes, e.g. "open_notice", "role_not_allowed"; NULL when out of range. */
const char *sr_claim_action_name(enum sr_claim_action action);
const char *sr_class_action_name(enum sr_class_action action);
const char *sr_transition_status_name(enum sr_transition_status status);

/* Parse the codes above; false when the text is not one of them. */
bool sr_claim_action_parse(const char *text, enum sr_claim_action *out);
bool sr_class_action_parse(const char *text, enum sr_class_action *out);

/* May `role` apply `action` to a claim in `from`? On SR_TRANSITION_OK stores the new state in
 * *to. `returned_before` says whether the claim has already been returned for correction. */
enum sr_transition_status sr_claim_transition(enum sr_claim_state from, enum sr_claim_action action,
                                              enum sr_role role, bool returned_before,
                                              enum sr_claim_state *to);

/* Bit set (1u << action) of the actions `role` may apply to a claim in `state`. */
uint32_t sr_claim_actions_allowed(enum sr_claim_state state, enum sr_role role,
                                  bool returned_before);

/* True for the states that hold a place in the person's yearly quota and in the
 * "same occupation and level once" rule: everything submitted and not rejected or withdrawn. */
bool sr_claim_state_is_live(enum sr_claim_state state);

/* True for paid and withdrawn: nothing follows (a rejection may be appealed). */
bool sr_claim_state_is_final(enum sr_claim_state state);

/* Class transitions; `today` and `start_date` are day numbers (see sr_ids.h) and decide
 * start (not before the start date) and cancel (only before it). */
enum sr_transition_status sr_class_transition(enum sr_class_state from, enum sr_class_action action,
                                              enum sr_role role, int32_t today, int32_t start_date,
                                              enum sr_class_state *to);

/* The roster of a filed or accepted class may change until the start date. */
bool sr_class_roster_editable(enum sr_class_state state, int32_t today, int32_t start_date);

#endif
