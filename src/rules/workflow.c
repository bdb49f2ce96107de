/* The claim and class state machines of src/rules/domain/WORKFLOW.md as tables: one row per
 * transition, with the roles that may take it. */
#include "sr_workflow.h"

#include "rules_internal.h"

#include <stddef.h>
#include <string.h>

#define ROLE(r)           (1u << (r))
#define OWNERS            (ROLE(SR_ROLE_APPLICANT) | ROLE(SR_ROLE_ENTERPRISE) | ROLE(SR_ROLE_INSTITUTION))
#define APPROVER          ROLE(SR_ROLE_APPROVER)
#define APPROVER_OR_ADMIN (ROLE(SR_ROLE_APPROVER) | ROLE(SR_ROLE_ADMIN))

static const char *const claim_action_names[SR_CLAIM_ACTION_COUNT] = {
    [SR_CLAIM_SUBMIT] = "submit",
    [SR_CLAIM_TAKE] = "take",
    [SR_CLAIM_RETURN] = "return",
    [SR_CLAIM_RESUBMIT] = "resubmit",
    [SR_CLAIM_APPROVE] = "approve",
    [SR_CLAIM_REJECT] = "reject",
    [SR_CLAIM_WITHDRAW] = "withdraw",
    [SR_CLAIM_OPEN_NOTICE] = "open_notice",
    [SR_CLAIM_OBJECT] = "object",
    [SR_CLAIM_NOTICE_ELAPSED] = "notice_elapsed",
    [SR_CLAIM_PAY] = "pay",
    [SR_CLAIM_APPEAL] = "appeal",
    [SR_CLAIM_UPHOLD] = "uphold",
    [SR_CLAIM_DISMISS_OBJECTION] = "dismiss_objection",
    [SR_CLAIM_UPHOLD_OBJECTION] = "uphold_objection",
};

static const char *const class_action_names[SR_CLASS_ACTION_COUNT] = {
    [SR_CLASS_ACCEPT] = "accept",     [SR_CLASS_REJECT] = "reject", [SR_CLASS_START] = "start",
    [SR_CLASS_COMPLETE] = "complete", [SR_CLASS_ASSESS] = "assess", [SR_CLASS_CLOSE] = "close",
    [SR_CLASS_CANCEL] = "cancel",
};

struct claim_edge {
    enum sr_claim_state from;
    enum sr_claim_action action;
    enum sr_claim_state to;
    uint32_t roles;
};

/* Withdraw is open to the claim's owner until approval; anyone authenticated may object during
 * the notice period (结果公示); the end of the notice period and payment are recorded by the
 * approver (or an admin running the disbursement batch). */
static const struct claim_edge claim_edges[] = {
    {SR_CLAIM_DRAFT, SR_CLAIM_SUBMIT, SR_CLAIM_SUBMITTED, OWNERS},
    {SR_CLAIM_DRAFT, SR_CLAIM_WITHDRAW, SR_CLAIM_WITHDRAWN, OWNERS},
    {SR_CLAIM_SUBMITTED, SR_CLAIM_TAKE, SR_CLAIM_IN_REVIEW, APPROVER},
    {SR_CLAIM_SUBMITTED, SR_CLAIM_WITHDRAW, SR_CLAIM_WITHDRAWN, OWNERS},
    {SR_CLAIM_IN_REVIEW, SR_CLAIM_RETURN, SR_CLAIM_RETURNED, APPROVER},
    {SR_CLAIM_IN_REVIEW, SR_CLAIM_APPROVE, SR_CLAIM_APPROVED, APPROVER},
    {SR_CLAIM_IN_REVIEW, SR_CLAIM_REJECT, SR_CLAIM_REJECTED, APPROVER},
    {SR_CLAIM_IN_REVIEW, SR_CLAIM_WITHDRAW, SR_CLAIM_WITHDRAWN, OWNERS},
    {SR_CLAIM_RETURNED, SR_CLAIM_RESUBMIT, SR_CLAIM_RESUBMITTED, OWNERS},
    {SR_CLAIM_RETURNED, SR_CLAIM_WITHDRAW, SR_CLAIM_WITHDRAWN, OWNERS},
    {SR_CLAIM_RESUBMITTED, SR_CLAIM_TAKE, SR_CLAIM_IN_REVIEW, APPROVER},
    {SR_CLAIM_RESUBMITTED, SR_CLAIM_WITHDRAW, SR_CLAIM_WITHDRAWN, OWNERS},
    {SR_CLAIM_APPROVED, SR_CLAIM_OPEN_NOTICE, SR_CLAIM_IN_NOTICE, APPROVER},
    {SR_CLAIM_IN_NOTICE, SR_CLAIM_OBJECT, SR_CLAIM_OBJECTED, OWNERS | APPROVER_OR_ADMIN},
    {SR_CLAIM_IN_NOTICE, SR_CLAIM_NOTICE_ELAPSED, SR_CLAIM_PAYABLE, APPROVER_OR_ADMIN},
    /* an objection: an approver of the region takes the claim (the state stays), dismisses the
     * objection (the notice period starts again) or upholds it (the grant is cancelled) */
    {SR_CLAIM_OBJECTED, SR_CLAIM_TAKE, SR_CLAIM_OBJECTED, APPROVER},
    {SR_CLAIM_OBJECTED, SR_CLAIM_DISMISS_OBJECTION, SR_CLAIM_IN_NOTICE, APPROVER},
    {SR_CLAIM_OBJECTED, SR_CLAIM_UPHOLD_OBJECTION, SR_CLAIM_REJECTED, APPROVER},
    {SR_CLAIM_PAYABLE, SR_CLAIM_PAY, SR_CLAIM_PAID, APPROVER_OR_ADMIN},
    /* 复议: the owner appeals a rejection (once, in time: the daemon's checks); an approver
     * other than the one who rejected takes it (the state stays), overturns it (an approval,
     * judged again) or upholds the rejection */
    {SR_CLAIM_REJECTED, SR_CLAIM_APPEAL, SR_CLAIM_APPEALED, OWNERS},
    {SR_CLAIM_APPEALED, SR_CLAIM_TAKE, SR_CLAIM_APPEALED, APPROVER},
    {SR_CLAIM_APPEALED, SR_CLAIM_APPROVE, SR_CLAIM_APPROVED, APPROVER},
    {SR_CLAIM_APPEALED, SR_CLAIM_UPHOLD, SR_CLAIM_REJECTED, APPROVER},
};

struct class_edge {
    enum sr_class_state from;
    enum sr_class_action action;
    enum sr_class_state to;
    uint32_t roles;
};

static const struct class_edge class_edges[] = {
    {SR_CLASS_FILED, SR_CLASS_ACCEPT, SR_CLASS_ACCEPTED, APPROVER},
    {SR_CLASS_FILED, SR_CLASS_REJECT, SR_CLASS_REJECTED, APPROVER},
    {SR_CLASS_FILED, SR_CLASS_CANCEL, SR_CLASS_CANCELLED, ROLE(SR_ROLE_INSTITUTION)},
    {SR_CLASS_ACCEPTED, SR_CLASS_START, SR_CLASS_RUNNING, ROLE(SR_ROLE_INSTITUTION)},
    {SR_CLASS_ACCEPTED, SR_CLASS_CANCEL, SR_CLASS_CANCELLED, ROLE(SR_ROLE_INSTITUTION)},
    {SR_CLASS_RUNNING, SR_CLASS_COMPLETE, SR_CLASS_COMPLETED, ROLE(SR_ROLE_INSTITUTION)},
    {SR_CLASS_COMPLETED, SR_CLASS_ASSESS, SR_CLASS_ASSESSED, ROLE(SR_ROLE_INSTITUTION)},
    {SR_CLASS_ASSESSED, SR_CLASS_CLOSE, SR_CLASS_CLOSED, APPROVER_OR_ADMIN},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *name_at(const char *const *names, size_t n, int i)
{
    return i >= 0 && (size_t)i < n ? names[i] : NULL;
}

static bool parse_in(const char *const *names, size_t n, const char *text, int *out)
{
    if (!text)
        return false;
    for (size_t i = 0; i < n; i++)
        if (names[i] && strcmp(names[i], text) == 0) {
            *out = (int)i;
            return true;
        }
    return false;
}

const char *sr_claim_action_name(enum sr_claim_action action)
{
    return name_at(claim_action_names, COUNT(claim_action_names), (int)action);
}

const char *sr_class_action_name(enum sr_class_action action)
{
    return name_at(class_action_names, COUNT(class_action_names), (int)action);
}

const char *sr_transition_status_name(enum sr_transition_status status)
{
    switch (status) {
    case SR_TRANSITION_OK:
        return "ok";
    case SR_TRANSITION_INVALID_ARGUMENT:
        return "invalid_argument";
    case SR_TRANSITION_NOT_FROM_STATE:
        return "not_from_state";
    case SR_TRANSITION_ROLE_NOT_ALLOWED:
        return "role_not_allowed";
    case SR_TRANSITION_ALREADY_RETURNED:
        return "already_returned";
    case SR_TRANSITION_TOO_EARLY:
        return "too_early";
    case SR_TRANSITION_TOO_LATE:
        return "too_late";
    }
    return NULL;
}

#define PARSER(fn, type, names)                                                                    \
    bool fn(const char *text, type *out)                                                           \
    {                                                                                              \
        int v;                                                                                     \
        if (!parse_in(names, COUNT(names), text, &v))                                              \
            return false;                                                                          \
        *out = (type)v;                                                                            \
        return true;                                                                               \
    }

PARSER(sr_claim_action_parse, enum sr_claim_action, claim_action_names)
PARSER(sr_class_action_parse, enum sr_class_action, class_action_names)

enum sr_transition_status sr_claim_transition(enum sr_claim_state from, enum sr_claim_action action,
                                              enum sr_role role, bool returned_before,
                                              enum sr_claim_state *to)
{
    if ((unsigned)from >= SR_CLAIM_STATE_COUNT || (unsigned)action >= SR_CLAIM_ACTION_COUNT ||
        (unsigned)role >= SR_ROLE_COUNT)
        return SR_TRANSITION_INVALID_ARGUMENT;
    for (size_t i = 0; i < COUNT(claim_edges); i++) {
        const struct claim_edge *e = &claim_edges[i];
        if (e->from != from || e->action != action)
            continue;
        if (!(e->roles & ROLE(role)))
            return SR_TRANSITION_ROLE_NOT_ALLOWED;
        if (action == SR_CLAIM_RETURN && returned_before)
            return SR_TRANSITION_ALREADY_RETURNED;
        if (to)
            *to = e->to;
        return SR_TRANSITION_OK;
    }
    return SR_TRANSITION_NOT_FROM_STATE;
}

uint32_t sr_claim_actions_allowed(enum sr_claim_state state, enum sr_role role,
                                  bool returned_before)
{
    uint32_t set = 0;
    for (int a = 0; a < SR_CLAIM_ACTION_COUNT; a++)
        if (sr_claim_transition(state, (enum sr_claim_action)a, role, returned_before, NULL) ==
            SR_TRANSITION_OK)
            set |= 1u << a;
    return set;
}

bool sr_claim_state_is_live(enum sr_claim_state state)
{
    return state != SR_CLAIM_DRAFT && state != SR_CLAIM_REJECTED && state != SR_CLAIM_WITHDRAWN &&
           state != SR_CLAIM_APPEALED && (unsigned)state < SR_CLAIM_STATE_COUNT;
}

bool sr_claim_state_is_final(enum sr_claim_state state)
{
    return state == SR_CLAIM_PAID || state == SR_CLAIM_WITHDRAWN;
}

enum sr_transition_status sr_class_transition(enum sr_class_state from, enum sr_class_action action,
                                              enum sr_role role, int32_t today, int32_t start_date,
                                              enum sr_class_state *to)
{
    if ((unsigned)from >= SR_CLASS_STATE_COUNT || (unsigned)action >= SR_CLASS_ACTION_COUNT ||
        (unsigned)role >= SR_ROLE_COUNT)
        return SR_TRANSITION_INVALID_ARGUMENT;
    for (size_t i = 0; i < COUNT(class_edges); i++) {
        const struct class_edge *e = &class_edges[i];
        if (e->from != from || e->action != action)
            continue;
        if (!(e->roles & ROLE(role)))
            return SR_TRANSITION_ROLE_NOT_ALLOWED;
        if (action == SR_CLASS_START && today < start_date)
            return SR_TRANSITION_TOO_EARLY;
        if (action == SR_CLASS_CANCEL && today >= start_date)
            return SR_TRANSITION_TOO_LATE;
        if (to)
            *to = e->to;
        return SR_TRANSITION_OK;
    }
    return SR_TRANSITION_NOT_FROM_STATE;
}

bool sr_class_roster_editable(enum sr_class_state state, int32_t today, int32_t start_date)
{
    return (state == SR_CLASS_FILED || state == SR_CLASS_ACCEPTED) && today < start_date;
}
