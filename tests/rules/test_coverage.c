/* Who a policy covers (sr_coverage.h): the statutory retirement day from birth and sex, with the
 * gradual rise for men born from 1965-01 and women from 1975-01, and what the policy files say of
 * people past that age and of graduating students. */
#include <check.h>
#include <stdlib.h>

#include "sr_coverage.h"
#include "sr_rules.h"

static int32_t day(const char *s)
{
    int32_t d = SR_NO_DATE;
    ck_assert_msg(sr_day_parse(s, &d), "bad date %s", s);
    return d;
}

START_TEST(test_retirement_day)
{
    static const struct {
        const char *born;
        bool male;
        int months;
        const char *retires;
    } cases[] = {
        {"1960-03-15", true, 720, "2020-03-15"},  /* before the rise: 60 */
        {"1964-12-31", true, 720, "2024-12-31"},  /* the last month before it */
        {"1965-01-10", true, 721, "2025-02-10"},  /* the first four months: one more */
        {"1965-05-01", true, 722, "2025-07-01"},  /* the next four: two */
        {"1976-09-01", true, 756, "2039-09-01"},  /* 140 months after 1965-01: 36, the cap */
        {"1990-01-01", true, 756, "2053-01-01"},  /* 63 */
        {"1974-12-31", false, 600, "2024-12-31"}, /* before the rise: 50 */
        {"1975-01-01", false, 601, "2025-02-01"}, /* the first two months: one more */
        {"1976-01-01", false, 607, "2026-08-01"}, /* 12 months after 1975-01: seven */
        {"1977-01-01", false, 613, "2028-02-01"},
        {"1990-06-01", false, 660, "2045-06-01"}, /* 55, the cap */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int months = 0;
        int32_t d = sr_retirement_day(day(cases[i].born), cases[i].male, &months);
        ck_assert_msg(months == cases[i].months, "%s: %d months", cases[i].born, months);
        ck_assert_int_eq(d, day(cases[i].retires));
    }
    ck_assert_int_eq(sr_retirement_day(day("1960-02-29"), true, NULL), day("2020-02-29"));
    ck_assert_int_eq(sr_retirement_day(day("1964-02-29"), true, NULL), day("2024-02-29"));
}
END_TEST

START_TEST(test_policy_coverage)
{
    struct sr_policy_set *set = NULL;
    char err[2048];
    ck_assert_msg(sr_policy_set_load_dir(getenv("SR_POLICY_DIR"), &set, err, sizeof err) == 0, "%s",
                  err);
    const char *section = NULL;
    const struct sr_policy *jx = sr_policy_set_find(set, "jiaxing-2019");
    ck_assert(sr_policy_covers_retired(jx, &section));
    ck_assert_str_eq(section, "五(十一)");
    ck_assert(!sr_policy_covers_graduating(jx, &section));
    ck_assert(sr_policy_covers_retired(sr_policy_set_find(set, "yancheng-2019"), &section));
    const struct sr_policy *zs = sr_policy_set_find(set, "zhoushan-2019");
    ck_assert(!sr_policy_covers_retired(zs, &section));
    ck_assert_str_eq(section, "");
    ck_assert(sr_policy_covers_graduating(zs, &section));
    ck_assert_str_eq(section, "二(四)");
    ck_assert(!sr_policy_covers_graduating(sr_policy_set_find(set, "ningbo-2019"), &section));
    sr_policy_set_free(set);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("coverage");
    TCase *tc = tcase_create("coverage");
    tcase_add_test(tc, test_retirement_day);
    tcase_add_test(tc, test_policy_coverage);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
