/* Loading policy files: the five real policies load and answer look-ups; broken files are
 * refused with `file:line: message`, every error at once. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sr_rules.h"

static const char *policy_dir;
static const char *bad_dir;

static int32_t day(const char *s)
{
    int32_t d = SR_NO_DATE;
    ck_assert(sr_day_parse(s, &d));
    return d;
}

struct bad_case {
    const char *files[3];
    const char *expect[3]; /* substrings of the error text, "FILE" = the first file's path */
};

static const struct bad_case bad_cases[] = {
    {{"unknown_key.policy"}, {"unknown_key.policy:23: unknown key 'colour' in [rule]"}},
    {{"missing_section.policy"}, {"missing_section.policy:23: missing section [residency]"}},
    {{"missing_key.policy"}, {"missing_key.policy:20: [rule] lacks required key 'section'"}},
    {{"bad_money.policy"}, {"bad_money.policy:26: money '500' must be"}},
    {{"bad_date.policy"}, {"bad_date.policy:8: '2020-02-30' is not a date"}},
    {{"unknown_kind.policy"}, {"unknown_kind.policy:21: unknown kind 'certificate'"}},
    {{"duplicate_key.policy"}, {"duplicate_key.policy:5: key 'version' given twice"}},
    {{"no_rule.policy"}, {"no_rule.policy:18: no [rule ...] section"}},
    {{"bad_header.policy"},
     {"bad_header.policy:15: malformed section header", "missing section [limits]"}},
    {{"unknown_section.policy"}, {"unknown_section.policy:11: unknown section [residence]"}},
    {{"unit_without_rate.policy"}, {"unit_without_rate.policy:20: [rule r1] has a unit"}},
    {{"half_back_reach.policy"}, {"back_reach_from and back_reach_to go together"}},
    {{"good.policy", "overlap_b.policy"},
     {"overlap_b.policy:7: effective dates of test-city-b overlap those of test-city"}},
    {{"good.policy", "overlap_district.policy"},
     {"effective dates of test-district overlap those of test-city"}},
    {{"good.policy", "good.policy"}, {"policy test-city version 1 also in"}},
    /* every error at once, from several files */
    {{"unknown_key.policy", "bad_money.policy"},
     {"unknown_key.policy:23: unknown key 'colour'", "bad_money.policy:26: money"}},
};

START_TEST(test_bad)
{
    const struct bad_case *c = &bad_cases[_i];
    char paths[3][512];
    const char *list[3];
    size_t n = 0;
    for (; n < 3 && c->files[n]; n++) {
        snprintf(paths[n], sizeof paths[n], "%s/%s", bad_dir, c->files[n]);
        list[n] = paths[n];
    }
    struct sr_policy_set *set = (struct sr_policy_set *)1;
    char err[4096];
    ck_assert_int_eq(sr_policy_set_load_files(list, n, &set, err, sizeof err), -1);
    ck_assert_ptr_null(set);
    for (size_t i = 0; i < 3 && c->expect[i]; i++)
        ck_assert_msg(strstr(err, c->expect[i]) != NULL, "case %d: '%s' not in:\n%s", _i,
                      c->expect[i], err);
}
END_TEST

START_TEST(test_adjacent_dates_load)
{
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/good.policy", bad_dir);
    snprintf(b, sizeof b, "%s/adjacent_c.policy", bad_dir);
    const char *list[] = {a, b};
    struct sr_policy_set *set;
    char err[2048];
    ck_assert_msg(sr_policy_set_load_files(list, 2, &set, err, sizeof err) == 0, "%s", err);
    ck_assert_str_eq(sr_policy_id(sr_policy_set_find_for(set, 330902, day("2020-12-31"))),
                     "test-city");
    ck_assert_str_eq(sr_policy_id(sr_policy_set_find_for(set, 330902, day("2021-01-01"))),
                     "test-city-c");
    sr_policy_set_free(set);
}
END_TEST

START_TEST(test_real_policies)
{
    struct sr_policy_set *set;
    char err[4096];
    ck_assert_msg(sr_policy_set_load_dir(policy_dir, &set, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(sr_policy_set_count(set), 5);
    static const char *const ids[] = {"zhoushan-2019", "jiaxing-2019", "ningbo-2019",
                                      "wenling-2023", "yancheng-2019"};
    for (size_t i = 0; i < 5; i++) {
        const struct sr_policy *p = sr_policy_set_find(set, ids[i]);
        ck_assert_msg(p != NULL, "%s missing", ids[i]);
        ck_assert_int_eq(sr_policy_version(p), 1);
        ck_assert(sr_policy_title(p)[0] && sr_policy_source(p)[0]);
        ck_assert(sr_policy_effective_from(p) < sr_policy_effective_to(p));
        ck_assert(sr_policy_reading_count(p) > 0);
        ck_assert(sr_policy_reading(p, 0)[0] == '[');
        ck_assert_ptr_null(sr_policy_reading(p, sr_policy_reading_count(p)));
    }
    ck_assert_ptr_null(sr_policy_set_find(set, "hangzhou-2019"));
    /* look-up by region and day, back-reach included */
    ck_assert_str_eq(sr_policy_id(sr_policy_set_find_for(set, 330902, day("2020-06-01"))),
                     "zhoushan-2019");
    ck_assert_str_eq(sr_policy_id(sr_policy_set_find_for(set, 330922, day("2019-12-05"))),
                     "zhoushan-2019");
    ck_assert_ptr_null(sr_policy_set_find_for(set, 330902, day("2019-11-30")));
    ck_assert_str_eq(sr_policy_id(sr_policy_set_find_for(set, 330482, day("2019-12-13"))),
                     "jiaxing-2019");
    ck_assert_ptr_null(sr_policy_set_find_for(set, 330482, day("2019-12-12")));
    ck_assert_str_eq(sr_policy_id(sr_policy_set_find_for(set, 330212, day("2021-12-31"))),
                     "ningbo-2019");
    ck_assert_str_eq(sr_policy_id(sr_policy_set_find_for(set, 331081, day("2024-01-01"))),
                     "wenling-2023");
    ck_assert_ptr_null(sr_policy_set_find_for(set, 331002, day("2024-01-01")));
    ck_assert_str_eq(sr_policy_id(sr_policy_set_find_for(set, 320981, day("2020-01-01"))),
                     "yancheng-2019");
    ck_assert_int_eq(sr_policy_region(sr_policy_set_find(set, "wenling-2023")), 331081);
    ck_assert(
        sr_policy_has_kind(sr_policy_set_find(set, "ningbo-2019"), SR_KIND_MASTER_APPRENTICE));
    ck_assert(
        !sr_policy_has_kind(sr_policy_set_find(set, "wenling-2023"), SR_KIND_LIVING_ALLOWANCE));
    ck_assert_ptr_null(sr_policy_set_at(set, 5));
    sr_policy_set_free(set);
}
END_TEST

START_TEST(test_missing_dir)
{
    struct sr_policy_set *set;
    char err[512];
    ck_assert_int_eq(sr_policy_set_load_dir("/nonexistent/policies", &set, err, sizeof err), -1);
    ck_assert_ptr_null(set);
    ck_assert(strstr(err, "/nonexistent/policies:0: cannot open directory") != NULL);
    ck_assert_int_eq(sr_policy_set_load_files(NULL, 0, &set, err, sizeof err), -1);
    /* a tiny error buffer is never overrun */
    char tiny[8];
    char a[512];
    snprintf(a, sizeof a, "%s/bad_header.policy", bad_dir);
    const char *list[] = {a};
    ck_assert_int_eq(sr_policy_set_load_files(list, 1, &set, tiny, sizeof tiny), -1);
    ck_assert_uint_lt(strlen(tiny), sizeof tiny);
    sr_policy_set_free(NULL);
}
END_TEST

int main(void)
{
    policy_dir = getenv("SR_POLICY_DIR");
    bad_dir = getenv("SR_BAD_DIR");
    if (!policy_dir || !bad_dir) {
        fprintf(stderr, "SR_POLICY_DIR and SR_BAD_DIR must be set\n");
        return 77;
    }
    Suite *s = suite_create("rules-loader");
    TCase *tc = tcase_create("loader");
    tcase_add_loop_test(tc, test_bad, 0, sizeof bad_cases / sizeof bad_cases[0]);
    tcase_add_test(tc, test_adjacent_dates_load);
    tcase_add_test(tc, test_real_policies);
    tcase_add_test(tc, test_missing_dir);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
