/* The claim and class state machines of src/rules/domain/WORKFLOW.md. */
#include <check.h>
#include <stdlib.h>

#include "sr_ids.h"
#include "sr_workflow.h"

struct claim_row {
    enum sr_claim_state from;
    enum sr_claim_action action;
    enum sr_role role;
    bool returned_before;
    enum sr_transition_status want;
    enum sr_claim_state to;
};

static const struct claim_row claim_rows[] = {
    {SR_CLAIM_DRAFT, SR_CLAIM_SUBMIT, SR_ROLE_APPLICANT, false, SR_TRANSITION_OK,
     SR_CLAIM_SUBMITTED},
    {SR_CLAIM_DRAFT, SR_CLAIM_SUBMIT, SR_ROLE_ENTERPRISE, false, SR_TRANSITION_OK,
     SR_CLAIM_SUBMITTED},
    {SR_CLAIM_DRAFT, SR_CLAIM_SUBMIT, SR_ROLE_INSTITUTION, false, SR_TRANSITION_OK,
     SR_CLAIM_SUBMITTED},
    {SR_CLAIM_DRAFT, SR_CLAIM_SUBMIT, SR_ROLE_APPROVER, false, SR_TRANSITION_ROLE_NOT_ALLOWED, 0},
    {SR_CLAIM_DRAFT, SR_CLAIM_APPROVE, SR_ROLE_APPROVER, false, SR_TRANSITION_NOT_FROM_STATE, 0},
    {SR_CLAIM_SUBMITTED, SR_CLAIM_TAKE, SR_ROLE_APPROVER, false, SR_TRANSITION_OK,
     SR_CLAIM_IN_REVIEW},
    {SR_CLAIM_SUBMITTED, SR_CLAIM_TAKE, SR_ROLE_ADMIN, false, SR_TRANSITION_ROLE_NOT_ALLOWED, 0},
    {SR_CLAIM_SUBMITTED, SR_CLAIM_APPROVE, SR_ROLE_APPROVER, false, SR_TRANSITION_NOT_FROM_STATE,
     0},
    {SR_CLAIM_SUBMITTED, SR_CLAIM_WITHDRAW, SR_ROLE_APPLICANT, false, SR_TRANSITION_OK,
     SR_CLAIM_WITHDRAWN},
    {SR_CLAIM_IN_REVIEW, SR_CLAIM_RETURN, SR_ROLE_APPROVER, false, SR_TRANSITION_OK,
     SR_CLAIM_RETURNED},
    {SR_CLAIM_IN_REVIEW, SR_CLAIM_RETURN, SR_ROLE_APPROVER, true, SR_TRANSITION_ALREADY_RETURNED,
     0},
    {SR_CLAIM_IN_REVIEW, SR_CLAIM_RETURN, SR_ROLE_APPLICANT, false, SR_TRANSITION_ROLE_NOT_ALLOWED,
     0},
    {SR_CLAIM_IN_REVIEW, SR_CLAIM_APPROVE, SR_ROLE_APPROVER, true, SR_TRANSITION_OK,
     SR_CLAIM_APPROVED},
    {SR_CLAIM_IN_REVIEW, SR_CLAIM_APPROVE, SR_ROLE_APPLICANT, false, SR_TRANSITION_ROLE_NOT_ALLOWED,
     0},
    {SR_CLAIM_IN_REVIEW, SR_CLAIM_APPROVE, SR_ROLE_ADMIN, false, SR_TRANSITION_ROLE_NOT_ALLOWED, 0},
    {SR_CLAIM_IN_REVIEW, SR_CLAIM_REJECT, SR_ROLE_APPROVER, false, SR_TRANSITION_OK,
     SR_CLAIM_REJECTED},
    {SR_CLAIM_IN_REVIEW, SR_CLAIM_WITHDRAW, SR_ROLE_ENTERPRISE, false, SR_TRANSITION_OK,
     SR_CLAIM_WITHDRAWN},
    {SR_CLAIM_RETURNED, SR_CLAIM_RESUBMIT, SR_ROLE_APPLICANT, true, SR_TRANSITION_OK,
     SR_CLAIM_RESUBMITTED},
    {SR_CLAIM_RETURNED, SR_CLAIM_RESUBMIT, SR_ROLE_APPROVER, true, SR_TRANSITION_ROLE_NOT_ALLOWED,
     0},
    {SR_CLAIM_RETURNED, SR_CLAIM_WITHDRAW, SR_ROLE_APPLICANT, true, SR_TRANSITION_OK,
     SR_CLAIM_WITHDRAWN},
    {SR_CLAIM_RESUBMITTED, SR_CLAIM_TAKE, SR_ROLE_APPROVER, true, SR_TRANSITION_OK,
     SR_CLAIM_IN_REVIEW},
    {SR_CLAIM_APPROVED, SR_CLAIM_WITHDRAW, SR_ROLE_APPLICANT, false, SR_TRANSITION_NOT_FROM_STATE,
     0},
    {SR_CLAIM_APPROVED, SR_CLAIM_OPEN_NOTICE, SR_ROLE_APPROVER, false, SR_TRANSITION_OK,
     SR_CLAIM_IN_NOTICE},
    {SR_CLAIM_APPROVED, SR_CLAIM_PAY, SR_ROLE_APPROVER, false, SR_TRANSITION_NOT_FROM_STATE, 0},
    {SR_CLAIM_IN_NOTICE, SR_CLAIM_OBJECT, SR_ROLE_APPLICANT, false, SR_TRANSITION_OK,
     SR_CLAIM_OBJECTED},
    {SR_CLAIM_IN_NOTICE, SR_CLAIM_OBJECT, SR_ROLE_APPROVER, false, SR_TRANSITION_OK,
     SR_CLAIM_OBJECTED},
    {SR_CLAIM_IN_NOTICE, SR_CLAIM_OBJECT, SR_ROLE_INSTITUTION, false, SR_TRANSITION_OK,
     SR_CLAIM_OBJECTED},
    {SR_CLAIM_APPROVED, SR_CLAIM_OBJECT, SR_ROLE_APPLICANT, false, SR_TRANSITION_NOT_FROM_STATE, 0},
    {SR_CLAIM_OBJECTED, SR_CLAIM_DISMISS_OBJECTION, SR_ROLE_APPROVER, false, SR_TRANSITION_OK,
     SR_CLAIM_IN_NOTICE},
    {SR_CLAIM_OBJECTED, SR_CLAIM_UPHOLD_OBJECTION, SR_ROLE_APPROVER, false, SR_TRANSITION_OK,
     SR_CLAIM_REJECTED},
    {SR_CLAIM_OBJECTED, SR_CLAIM_UPHOLD_OBJECTION, SR_ROLE_APPLICANT, false,
     SR_TRANSITION_ROLE_NOT_ALLOWED, 0},
    {SR_CLAIM_IN_NOTICE, SR_CLAIM_DISMISS_OBJECTION, SR_ROLE_APPROVER, false,
     SR_TRANSITION_NOT_FROM_STATE, 0},
    {SR_CLAIM_IN_NOTICE, SR_CLAIM_NOTICE_ELAPSED, SR_ROLE_APPROVER, false, SR_TRANSITION_OK,
     SR_CLAIM_PAYABLE},
    {SR_CLAIM_IN_NOTICE, SR_CLAIM_NOTICE_ELAPSED, SR_ROLE_ADMIN, false, SR_TRANSITION_OK,
     SR_CLAIM_PAYABLE},
    {SR_CLAIM_IN_NOTICE, SR_CLAIM_WITHDRAW, SR_ROLE_APPLICANT, false, SR_TRANSITION_NOT_FROM_STATE,
     0},
    {SR_CLAIM_OBJECTED, SR_CLAIM_TAKE, SR_ROLE_APPROVER, false, SR_TRANSITION_OK,
     SR_CLAIM_OBJECTED},
    {SR_CLAIM_PAYABLE, SR_CLAIM_PAY, SR_ROLE_ADMIN, false, SR_TRANSITION_OK, SR_CLAIM_PAID},
    {SR_CLAIM_PAYABLE, SR_CLAIM_PAY, SR_ROLE_APPLICANT, false, SR_TRANSITION_ROLE_NOT_ALLOWED, 0},
    {SR_CLAIM_PAID, SR_CLAIM_PAY, SR_ROLE_ADMIN, false, SR_TRANSITION_NOT_FROM_STATE, 0},
    {SR_CLAIM_REJECTED, SR_CLAIM_RESUBMIT, SR_ROLE_APPLICANT, false, SR_TRANSITION_NOT_FROM_STATE,
     0},
    /* 复议: the owner appeals a rejection; an approver takes it (the state stays), overturns it
     * or upholds the rejection */
    {SR_CLAIM_REJECTED, SR_CLAIM_APPEAL, SR_ROLE_APPLICANT, false, SR_TRANSITION_OK,
     SR_CLAIM_APPEALED},
    {SR_CLAIM_REJECTED, SR_CLAIM_APPEAL, SR_ROLE_ENTERPRISE, false, SR_TRANSITION_OK,
     SR_CLAIM_APPEALED},
    {SR_CLAIM_REJECTED, SR_CLAIM_APPEAL, SR_ROLE_APPROVER, false, SR_TRANSITION_ROLE_NOT_ALLOWED,
     0},
    {SR_CLAIM_IN_REVIEW, SR_CLAIM_APPEAL, SR_ROLE_APPLICANT, false, SR_TRANSITION_NOT_FROM_STATE,
     0},
    {SR_CLAIM_APPEALED, SR_CLAIM_APPEAL, SR_ROLE_APPLICANT, false, SR_TRANSITION_NOT_FROM_STATE, 0},
    {SR_CLAIM_APPEALED, SR_CLAIM_TAKE, SR_ROLE_APPROVER, false, SR_TRANSITION_OK,
     SR_CLAIM_APPEALED},
    {SR_CLAIM_APPEALED, SR_CLAIM_APPROVE, SR_ROLE_APPROVER, false, SR_TRANSITION_OK,
     SR_CLAIM_APPROVED},
    {SR_CLAIM_APPEALED, SR_CLAIM_UPHOLD, SR_ROLE_APPROVER, false, SR_TRANSITION_OK,
     SR_CLAIM_REJECTED},
    {SR_CLAIM_APPEALED, SR_CLAIM_UPHOLD, SR_ROLE_APPLICANT, false, SR_TRANSITION_ROLE_NOT_ALLOWED,
     0},
    {SR_CLAIM_APPEALED, SR_CLAIM_REJECT, SR_ROLE_APPROVER, false, SR_TRANSITION_NOT_FROM_STATE, 0},
    {SR_CLAIM_APPEALED, SR_CLAIM_RETURN, SR_ROLE_APPROVER, false, SR_TRANSITION_NOT_FROM_STATE, 0},
    {SR_CLAIM_APPEALED, SR_CLAIM_WITHDRAW, SR_ROLE_APPLICANT, false, SR_TRANSITION_NOT_FROM_STATE,
     0},
    {SR_CLAIM_IN_REVIEW, SR_CLAIM_UPHOLD, SR_ROLE_APPROVER, false, SR_TRANSITION_NOT_FROM_STATE, 0},
    {SR_CLAIM_WITHDRAWN, SR_CLAIM_SUBMIT, SR_ROLE_APPLICANT, false, SR_TRANSITION_NOT_FROM_STATE,
     0},
    {SR_CLAIM_STATE_COUNT, SR_CLAIM_SUBMIT, SR_ROLE_APPLICANT, false,
     SR_TRANSITION_INVALID_ARGUMENT, 0},
    {SR_CLAIM_DRAFT, SR_CLAIM_ACTION_COUNT, SR_ROLE_APPLICANT, false,
     SR_TRANSITION_INVALID_ARGUMENT, 0},
    {SR_CLAIM_DRAFT, SR_CLAIM_SUBMIT, SR_ROLE_COUNT, false, SR_TRANSITION_INVALID_ARGUMENT, 0},
};

START_TEST(test_claim_table)
{
    const struct claim_row *r = &claim_rows[_i];
    enum sr_claim_state to = SR_CLAIM_DRAFT;
    enum sr_transition_status st =
        sr_claim_transition(r->from, r->action, r->role, r->returned_before, &to);
    ck_assert_msg(st == r->want, "row %d: %s --%s/%s--> got %s", _i, sr_claim_state_name(r->from),
                  sr_claim_action_name(r->action), sr_role_name(r->role),
                  sr_transition_status_name(st));
    if (st == SR_TRANSITION_OK)
        ck_assert_int_eq(to, r->to);
}
END_TEST

/* The whole happy path, with one return for correction and one objection. */
START_TEST(test_claim_path)
{
    static const struct {
        enum sr_claim_action action;
        enum sr_role role;
        enum sr_claim_state to;
    } path[] = {
        {SR_CLAIM_SUBMIT, SR_ROLE_APPLICANT, SR_CLAIM_SUBMITTED},
        {SR_CLAIM_TAKE, SR_ROLE_APPROVER, SR_CLAIM_IN_REVIEW},
        {SR_CLAIM_RETURN, SR_ROLE_APPROVER, SR_CLAIM_RETURNED},
        {SR_CLAIM_RESUBMIT, SR_ROLE_APPLICANT, SR_CLAIM_RESUBMITTED},
        {SR_CLAIM_TAKE, SR_ROLE_APPROVER, SR_CLAIM_IN_REVIEW},
        {SR_CLAIM_APPROVE, SR_ROLE_APPROVER, SR_CLAIM_APPROVED},
        {SR_CLAIM_OPEN_NOTICE, SR_ROLE_APPROVER, SR_CLAIM_IN_NOTICE},
        {SR_CLAIM_OBJECT, SR_ROLE_APPLICANT, SR_CLAIM_OBJECTED},
        {SR_CLAIM_TAKE, SR_ROLE_APPROVER, SR_CLAIM_OBJECTED},
        {SR_CLAIM_DISMISS_OBJECTION, SR_ROLE_APPROVER, SR_CLAIM_IN_NOTICE},
        {SR_CLAIM_NOTICE_ELAPSED, SR_ROLE_APPROVER, SR_CLAIM_PAYABLE},
        {SR_CLAIM_PAY, SR_ROLE_APPROVER, SR_CLAIM_PAID},
    };
    enum sr_claim_state s = SR_CLAIM_DRAFT;
    bool returned = false;
    for (size_t i = 0; i < sizeof path / sizeof path[0]; i++) {
        ck_assert_int_eq(sr_claim_transition(s, path[i].action, path[i].role, returned, &s),
                         SR_TRANSITION_OK);
        ck_assert_int_eq(s, path[i].to);
        if (path[i].action == SR_CLAIM_RETURN)
            returned = true;
        if (s == SR_CLAIM_IN_REVIEW)
            ck_assert_int_eq(
                sr_claim_transition(s, SR_CLAIM_RETURN, SR_ROLE_APPROVER, returned, NULL),
                returned ? SR_TRANSITION_ALREADY_RETURNED : SR_TRANSITION_OK);
    }
    ck_assert(sr_claim_state_is_final(s));
    ck_assert_uint_eq(sr_claim_actions_allowed(s, SR_ROLE_APPROVER, true), 0);
}
END_TEST

START_TEST(test_claim_sets)
{
    uint32_t a = sr_claim_actions_allowed(SR_CLAIM_IN_REVIEW, SR_ROLE_APPROVER, false);
    ck_assert_uint_eq(a,
                      (1u << SR_CLAIM_RETURN) | (1u << SR_CLAIM_APPROVE) | (1u << SR_CLAIM_REJECT));
    a = sr_claim_actions_allowed(SR_CLAIM_IN_REVIEW, SR_ROLE_APPROVER, true);
    ck_assert_uint_eq(a, (1u << SR_CLAIM_APPROVE) | (1u << SR_CLAIM_REJECT));
    a = sr_claim_actions_allowed(SR_CLAIM_IN_REVIEW, SR_ROLE_APPLICANT, false);
    ck_assert_uint_eq(a, 1u << SR_CLAIM_WITHDRAW);
    ck_assert(!sr_claim_state_is_live(SR_CLAIM_DRAFT));
    ck_assert(!sr_claim_state_is_live(SR_CLAIM_REJECTED));
    ck_assert(!sr_claim_state_is_live(SR_CLAIM_WITHDRAWN));
    ck_assert(!sr_claim_state_is_live(SR_CLAIM_APPEALED));
    ck_assert(!sr_claim_state_is_final(SR_CLAIM_REJECTED)); /* it may be appealed */
    ck_assert(!sr_claim_state_is_final(SR_CLAIM_APPEALED));
    a = sr_claim_actions_allowed(SR_CLAIM_APPEALED, SR_ROLE_APPROVER, false);
    ck_assert_uint_eq(a,
                      (1u << SR_CLAIM_TAKE) | (1u << SR_CLAIM_APPROVE) | (1u << SR_CLAIM_UPHOLD));
    ck_assert(sr_claim_state_is_live(SR_CLAIM_SUBMITTED));
    ck_assert(sr_claim_state_is_live(SR_CLAIM_RETURNED));
    ck_assert(sr_claim_state_is_live(SR_CLAIM_PAID));
    for (int i = 0; i < SR_CLAIM_STATE_COUNT; i++) {
        enum sr_claim_state s;
        ck_assert(sr_claim_state_parse(sr_claim_state_name((enum sr_claim_state)i), &s));
        ck_assert_int_eq(s, i);
    }
    for (int i = 0; i < SR_CLAIM_ACTION_COUNT; i++) {
        enum sr_claim_action s;
        ck_assert(sr_claim_action_parse(sr_claim_action_name((enum sr_claim_action)i), &s));
        ck_assert_int_eq(s, i);
    }
    for (int i = 0; i < SR_ROLE_COUNT; i++) {
        enum sr_role r;
        ck_assert(sr_role_parse(sr_role_name((enum sr_role)i), &r));
        ck_assert_int_eq(r, i);
    }
    enum sr_role r;
    ck_assert(!sr_role_parse("root", &r));
}
END_TEST

START_TEST(test_class)
{
    int32_t start, before, today;
    ck_assert(sr_day_parse("2020-05-01", &start));
    ck_assert(sr_day_parse("2020-04-30", &before));
    today = start;
    enum sr_class_state s = SR_CLASS_FILED;
    ck_assert(sr_class_roster_editable(s, before, start));
    ck_assert(!sr_class_roster_editable(s, start, start));
    ck_assert_int_eq(
        sr_class_transition(s, SR_CLASS_ACCEPT, SR_ROLE_INSTITUTION, before, start, &s),
        SR_TRANSITION_ROLE_NOT_ALLOWED);
    ck_assert_int_eq(sr_class_transition(s, SR_CLASS_ACCEPT, SR_ROLE_APPROVER, before, start, &s),
                     SR_TRANSITION_OK);
    ck_assert_int_eq(s, SR_CLASS_ACCEPTED);
    ck_assert(sr_class_roster_editable(s, before, start));
    ck_assert_int_eq(
        sr_class_transition(s, SR_CLASS_START, SR_ROLE_INSTITUTION, before, start, NULL),
        SR_TRANSITION_TOO_EARLY);
    ck_assert_int_eq(
        sr_class_transition(s, SR_CLASS_CANCEL, SR_ROLE_INSTITUTION, before, start, NULL),
        SR_TRANSITION_OK);
    ck_assert_int_eq(
        sr_class_transition(s, SR_CLASS_CANCEL, SR_ROLE_INSTITUTION, today, start, NULL),
        SR_TRANSITION_TOO_LATE);
    ck_assert_int_eq(sr_class_transition(s, SR_CLASS_START, SR_ROLE_INSTITUTION, today, start, &s),
                     SR_TRANSITION_OK);
    ck_assert(!sr_class_roster_editable(s, before, start));
    ck_assert_int_eq(
        sr_class_transition(s, SR_CLASS_COMPLETE, SR_ROLE_INSTITUTION, today, start, &s),
        SR_TRANSITION_OK);
    ck_assert_int_eq(sr_class_transition(s, SR_CLASS_ASSESS, SR_ROLE_INSTITUTION, today, start, &s),
                     SR_TRANSITION_OK);
    ck_assert_int_eq(sr_class_transition(s, SR_CLASS_CLOSE, SR_ROLE_INSTITUTION, today, start, &s),
                     SR_TRANSITION_ROLE_NOT_ALLOWED);
    ck_assert_int_eq(sr_class_transition(s, SR_CLASS_CLOSE, SR_ROLE_APPROVER, today, start, &s),
                     SR_TRANSITION_OK);
    ck_assert_int_eq(s, SR_CLASS_CLOSED);
    ck_assert_int_eq(
        sr_class_transition(s, SR_CLASS_CANCEL, SR_ROLE_INSTITUTION, before, start, NULL),
        SR_TRANSITION_NOT_FROM_STATE);
    s = SR_CLASS_FILED;
    ck_assert_int_eq(sr_class_transition(s, SR_CLASS_REJECT, SR_ROLE_APPROVER, today, start, &s),
                     SR_TRANSITION_OK);
    ck_assert_int_eq(s, SR_CLASS_REJECTED);
    ck_assert_int_eq(sr_class_transition(SR_CLASS_STATE_COUNT, SR_CLASS_REJECT, SR_ROLE_APPROVER,
                                         today, start, &s),
                     SR_TRANSITION_INVALID_ARGUMENT);
    for (int i = 0; i < SR_CLASS_STATE_COUNT; i++) {
        enum sr_class_state c;
        ck_assert(sr_class_state_parse(sr_class_state_name((enum sr_class_state)i), &c));
        ck_assert_int_eq(c, i);
    }
    for (int i = 0; i < SR_CLASS_ACTION_COUNT; i++) {
        enum sr_class_action c;
        ck_assert(sr_class_action_parse(sr_class_action_name((enum sr_class_action)i), &c));
        ck_assert_int_eq(c, i);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rules-workflow");
    TCase *tc = tcase_create("workflow");
    tcase_add_loop_test(tc, test_claim_table, 0, sizeof claim_rows / sizeof claim_rows[0]);
    tcase_add_test(tc, test_claim_path);
    tcase_add_test(tc, test_claim_sets);
    tcase_add_test(tc, test_class);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
