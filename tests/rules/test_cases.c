/* Table-driven rule tests: every case of tests/rules/cases/NAME.cases is one Check test, named by
 * its file, line and policy section. A last test checks that the tables together exercise
 * every problem code and every amount formula. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_file.h"
#include "sr_rules.h"

static struct sr_policy_set *policies;
static struct case_list cases;

static const struct sr_policy *policy_of(const struct rule_case *c)
{
    const struct sr_policy *p = sr_policy_set_find(policies, c->policy_id);
    ck_assert_msg(p != NULL, "%s:%d: unknown policy '%s'", c->file, c->line, c->policy_id);
    return p;
}

START_TEST(test_case)
{
    const struct rule_case *c = &cases.items[_i];
    struct sr_input in;
    struct sr_result r, again;
    char msg[1024];
    case_input(c, &in);
    sr_evaluate(policy_of(c), &in, &r);
    ck_assert_msg(case_check(c, &r, msg, sizeof msg), "%s", msg);
    /* the same input gives the same bytes */
    sr_evaluate(policy_of(c), &in, &again);
    ck_assert_msg(memcmp(&r, &again, sizeof r) == 0, "%s:%d: not deterministic", c->file, c->line);
    /* every problem names a field and a section and has both messages */
    for (size_t i = 0; i < r.problem_count; i++) {
        ck_assert(r.problems[i].field && r.problems[i].field[0]);
        ck_assert(r.problems[i].section && r.problems[i].section[0]);
        ck_assert(r.problems[i].message_zh && r.problems[i].message_en);
    }
}
END_TEST

/* The tables must cover every problem code sr_evaluate reports (claim_missing is tested below)
 * and formula, and sr_evaluate never reports a problem api/problems.csv gives to the caller. */
START_TEST(test_coverage)
{
    bool code_seen[SR_P_COUNT] = {false};
    static const char *const formulas[] = {"fixed",        "catalog_standard", "actual_capped",
                                           "per_hour",     "per_day",          "per_month",
                                           "per_semester", "per_year",         "fee_share"};
    bool formula_seen[sizeof formulas / sizeof formulas[0]] = {false};
    bool policy_seen[8] = {false};
    for (size_t i = 0; i < cases.count; i++) {
        const struct rule_case *c = &cases.items[i];
        struct sr_input in;
        struct sr_result r;
        case_input(c, &in);
        sr_evaluate(policy_of(c), &in, &r);
        for (size_t j = 0; j < r.problem_count; j++) {
            ck_assert_msg(!sr_problem_by_caller(r.problems[j].code),
                          "sr_evaluate reported %s, which only the caller adds",
                          r.problems[j].code_name);
            code_seen[r.problems[j].code] = true;
        }
        for (size_t j = 0; j < sr_policy_set_count(policies); j++)
            if (strcmp(sr_policy_id(sr_policy_set_at(policies, j)), c->policy_id) == 0 && j < 8)
                policy_seen[j] = true;
        if (r.eligible && r.trace.formula)
            for (size_t j = 0; j < sizeof formulas / sizeof formulas[0]; j++)
                if (strcmp(formulas[j], r.trace.formula) == 0)
                    formula_seen[j] = true;
    }
    code_seen[SR_P_CLAIM_MISSING] = true;
    {
        /* occupation_unknown is the caller's (the reference list is the database's): added to
         * an eligible result, it makes it ineligible with amount 0, once */
        struct sr_input in;
        struct sr_result r;
        for (size_t i = 0; i < cases.count; i++) {
            case_input(&cases.items[i], &in);
            sr_evaluate(policy_of(&cases.items[i]), &in, &r);
            if (r.eligible && r.amount_fen > 0)
                break;
        }
        ck_assert(r.eligible);
        size_t n = r.problem_count;
        sr_result_add_problem(&r, SR_P_OCCUPATION_UNKNOWN, "claim.occupation");
        sr_result_add_problem(&r, SR_P_OCCUPATION_UNKNOWN, "claim.occupation");
        ck_assert(!r.eligible);
        ck_assert_int_eq(r.amount_fen, 0);
        ck_assert_uint_eq(r.problem_count, n + 1);
        ck_assert_str_eq(r.problems[n].code_name, "occupation_unknown");
        code_seen[r.problems[n].code] = true;
    }
    for (int i = 0; i < SR_P_COUNT; i++)
        /* the caller's other problems (employer_not_in_records) are the api tier's */
        ck_assert_msg(code_seen[i] || sr_problem_by_caller((enum sr_problem_code)i),
                      "no case produces problem %s", sr_problem_code_name((enum sr_problem_code)i));
    for (size_t j = 0; j < sizeof formulas / sizeof formulas[0]; j++)
        ck_assert_msg(formula_seen[j], "no eligible case uses formula %s", formulas[j]);
    for (size_t j = 0; j < sr_policy_set_count(policies); j++)
        ck_assert_msg(policy_seen[j], "no case for policy %s",
                      sr_policy_id(sr_policy_set_at(policies, j)));
    ck_assert_msg(cases.count >= 150, "only %zu cases", cases.count);
}
END_TEST

START_TEST(test_claim_missing)
{
    struct sr_input in = {0};
    struct sr_result r;
    sr_evaluate(sr_policy_set_at(policies, 0), &in, &r);
    ck_assert(!r.eligible);
    ck_assert_uint_eq(r.problem_count, 1);
    ck_assert_str_eq(r.problems[0].code_name, "claim_missing");
}
END_TEST

int main(void)
{
    const char *dir = getenv("SR_POLICY_DIR");
    const char *case_dir = getenv("SR_CASE_DIR");
    char err[4096];
    if (!dir || !case_dir) {
        fprintf(stderr, "SR_POLICY_DIR and SR_CASE_DIR must be set\n");
        return 77;
    }
    if (sr_policy_set_load_dir(dir, &policies, err, sizeof err) != 0) {
        fprintf(stderr, "loading policies: %s\n", err);
        return 1;
    }
    if (case_list_load(case_dir, &cases, err, sizeof err) != 0) {
        fprintf(stderr, "loading cases: %s\n", err);
        return 1;
    }
    Suite *s = suite_create("rules-cases");
    TCase *tc = tcase_create("cases");
    tcase_add_loop_test(tc, test_case, 0, (int)cases.count);
    tcase_add_test(tc, test_coverage);
    tcase_add_test(tc, test_claim_missing);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    printf("%zu table cases\n", cases.count);
    srunner_free(sr);
    case_list_free(&cases);
    sr_policy_set_free(policies);
    return failed ? 1 : 0;
}
