/* Unit: the generated vocabulary (api/vocabulary.csv), the problem range of the registry
 * (api/problems.csv) and the region validator.  Every name parses back to its value; the
 * daemon's role bits and the rule module's roles are one list; problem numbers and names are
 * those replies and stored decisions carry. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sd_model.h"
#include "sr_rules.h"

/* Each value's name parses back to it and stands in the NULL-terminated list of names. */
#define ROUND_TRIP(prefix, count)                                                                  \
    for (int i = 0; i < (count); i++) {                                                            \
        enum prefix v;                                                                             \
        ck_assert(prefix##_parse(prefix##_name((enum prefix)i), &v));                              \
        ck_assert_int_eq(v, i);                                                                    \
        ck_assert_str_eq(prefix##_values[i], prefix##_name(v));                                    \
    }                                                                                              \
    ck_assert_ptr_null(prefix##_values[count])

START_TEST(every_term_parses_back)
{
    for (int v = 0; v < SR_VOCAB_COUNT; v++) {
        size_t n;
        const struct sr_term *t = sr_vocab_terms((enum sr_vocab)v, &n);
        ck_assert_ptr_nonnull(t);
        ck_assert_uint_gt(n, 1);
        for (size_t i = 0; i < n; i++) {
            ck_assert_msg(t[i].name && t[i].title_zh[0] && t[i].title_en[0], "%s[%zu]",
                          sr_vocab_name((enum sr_vocab)v), i);
            for (size_t j = 0; j < i; j++)
                ck_assert_str_ne(t[i].name, t[j].name);
        }
    }
    size_t n;
    ck_assert_ptr_null(sr_vocab_terms(SR_VOCAB_COUNT, &n));
    ck_assert_uint_eq(n, 0);
    ROUND_TRIP(sr_role, SR_ROLE_COUNT);
    ROUND_TRIP(sr_claim_state, SR_CLAIM_STATE_COUNT);
    ROUND_TRIP(sr_class_state, SR_CLASS_STATE_COUNT);
    ROUND_TRIP(sr_level, SR_LEVEL_COUNT);
    ROUND_TRIP(sr_payee, SR_PAYEE_COUNT);
    enum sr_level l;
    ck_assert(!sr_level_parse("level6", &l));
    ck_assert(!sr_level_parse(NULL, &l));
    ck_assert_ptr_null(sr_level_name(SR_LEVEL_COUNT));
    ck_assert_ptr_null(sr_role_name(SR_ROLE_COUNT));
    /* the lists in messages leave "none" out */
    char buf[200];
    sr_payee_list(buf, sizeof buf);
    ck_assert_str_eq(buf, "person, institution, enterprise");
    sr_level_list(buf, sizeof buf);
    ck_assert_str_eq(buf, "special_ability, level5, level4, level3, level2, level1, training_pass, "
                          "special_operation");
    sr_claim_state_list(buf, 10);
    ck_assert_str_eq(buf, "draft, su"); /* cut to len */
}
END_TEST

/* The two role enums are one list: bit i is sr_role i, by name. */
START_TEST(role_bits_map_to_rule_roles)
{
    unsigned all = 0;
    for (int i = 0; i < SR_ROLE_COUNT; i++) {
        enum sr_role r = (enum sr_role)i, back;
        unsigned bit = sd_role_bit(r);
        ck_assert_uint_eq(bit, 1u << i);
        ck_assert(sd_role_rule(bit, &back));
        ck_assert_int_eq(back, r);
        ck_assert_str_eq(sd_role_name(bit), sr_role_name(r));
        enum sd_role parsed;
        ck_assert(sd_role_parse(sr_role_name(r), &parsed));
        ck_assert_uint_eq(parsed, bit);
        all |= bit;
    }
    ck_assert_uint_eq(all, SD_ROLES_ANY);
    ck_assert_uint_eq(SD_ROLE_ENTERPRISE, sd_role_bit(SR_ROLE_ENTERPRISE));
    ck_assert_str_eq(sd_role_name(SD_ROLE_APPROVER), "approver");
    ck_assert_str_eq(sd_role_name(SD_ROLE_ADMIN), "admin");
    enum sr_role r;
    ck_assert(!sd_role_rule(0, &r));
    ck_assert(!sd_role_rule(SD_ROLE_APPLICANT | SD_ROLE_ADMIN, &r));
    ck_assert(!sd_role_rule(1u << SR_ROLE_COUNT, &r));
    ck_assert_ptr_null(sd_role_name(SD_ROLES_ANY));
    ck_assert_uint_eq(sd_role_bit(SR_ROLE_COUNT), 0);
    enum sd_role bit;
    ck_assert(!sd_role_parse("root", &bit));
}
END_TEST

/* Numbers and names as stored decisions and replies have them; the caller's two problems. */
START_TEST(problem_registry)
{
    for (int i = 0; i < SR_P_COUNT; i++) {
        enum sr_problem_code c;
        const char *name = sr_problem_code_name((enum sr_problem_code)i);
        ck_assert_ptr_nonnull(name);
        ck_assert(sr_problem_code_parse(name, &c));
        ck_assert_int_eq(c, i);
        ck_assert(sr_problem_message_zh(c)[0] && sr_problem_message_en(c)[0]);
        ck_assert(sr_problem_section(c) == NULL || sr_problem_by_caller(c));
    }
    ck_assert_int_eq(SR_P_CLAIM_MISSING, 0);
    ck_assert_int_eq(SR_P_QUOTA_YEAR_EXHAUSTED, 47);
    ck_assert_str_eq(sr_problem_code_name(SR_P_QUOTA_YEAR_EXHAUSTED), "quota_year_exhausted");
    ck_assert_int_eq(SR_P_OCCUPATION_UNKNOWN, 55);
    ck_assert(sr_problem_by_caller(SR_P_OCCUPATION_UNKNOWN));
    ck_assert_ptr_null(sr_problem_section(SR_P_OCCUPATION_UNKNOWN));
    ck_assert_str_eq(sr_problem_code_name(SR_P_EMPLOYER_NOT_IN_RECORDS), "employer_not_in_records");
    ck_assert(sr_problem_by_caller(SR_P_EMPLOYER_NOT_IN_RECORDS));
    ck_assert_str_eq(sr_problem_section(SR_P_EMPLOYER_NOT_IN_RECORDS), "参保记录");
    ck_assert(!sr_problem_by_caller(SR_P_QUOTA_YEAR_EXHAUSTED));
    ck_assert(!sr_problem_by_caller(SR_P_COUNT));
    ck_assert_ptr_null(sr_problem_code_name(SR_P_COUNT));
    enum sr_problem_code c;
    ck_assert(!sr_problem_code_parse("not_a_problem", &c));
    ck_assert(!sr_problem_code_parse(NULL, &c));
}
END_TEST

/* One region validator: GB/T 2260 codes for a claim, any code of the region table elsewhere. */
START_TEST(region_code_forms)
{
    ck_assert_int_eq(sr_region_code_form("330902"), SR_REGION_GB2260);
    ck_assert_int_eq(sr_region_code_form("3309A1"), SR_REGION_OTHER);
    ck_assert_int_eq(sr_region_code_form("033090"), SR_REGION_OTHER);
    ck_assert_int_eq(sr_region_code_form("330902001"), SR_REGION_OTHER);
    ck_assert_int_eq(sr_region_code_form("ABCDEF123456"), SR_REGION_OTHER);
    ck_assert_int_eq(sr_region_code_form("ABCDEF1234567"), SR_REGION_INVALID);
    ck_assert_int_eq(sr_region_code_form("33090"), SR_REGION_INVALID);
    ck_assert_int_eq(sr_region_code_form("3309a1"), SR_REGION_INVALID);
    ck_assert_int_eq(sr_region_code_form("33 902"), SR_REGION_INVALID);
    ck_assert_int_eq(sr_region_code_form(""), SR_REGION_INVALID);
    ck_assert_int_eq(sr_region_code_form(NULL), SR_REGION_INVALID);
    ck_assert_int_eq(SD_REGION_LEN, SR_REGION_CODE_MAX);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vocab");
    TCase *tc = tcase_create("vocab");
    tcase_add_test(tc, every_term_parses_back);
    tcase_add_test(tc, role_bits_map_to_rule_roles);
    tcase_add_test(tc, problem_registry);
    tcase_add_test(tc, region_code_forms);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
