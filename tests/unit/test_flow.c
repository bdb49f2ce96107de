/* Unit: what the use cases decide without a database — the service's day (Asia/Shanghai, so a
 * claim filed early on 1 April in China is of 1 April, though it is still 31 March in UTC), and
 * who may see a claim. */
#include <check.h>
#include <string.h>

#include "claim.h"

static time_t utc(int y, int m, int d, int hh, int mm, int ss)
{
    time_t days = (time_t)(sr_day_from_ymd(y, m, d) - sr_day_from_ymd(1970, 1, 1));
    return days * 86400 + hh * 3600 + mm * 60 + ss;
}

START_TEST(the_day_is_shanghais)
{
    ck_assert_int_eq(cj_day_of(utc(2026, 3, 31, 15, 59, 59)), sr_day_from_ymd(2026, 3, 31));
    ck_assert_int_eq(cj_day_of(utc(2026, 3, 31, 16, 0, 0)), sr_day_from_ymd(2026, 4, 1));
    ck_assert_int_eq(cj_day_of(utc(2026, 12, 31, 16, 0, 0)), sr_day_from_ymd(2027, 1, 1));
    ck_assert_int_eq(cj_day_of(utc(2027, 1, 1, 15, 59, 59)), sr_day_from_ymd(2027, 1, 1));
}
END_TEST

START_TEST(a_zone_counts_as_its_city)
{
    ck_assert_int_eq(flow_rule_region("330902"), 330902);
    ck_assert_int_eq(flow_rule_region("3309A1"), 330900);
    ck_assert_int_eq(flow_rule_region(NULL), 0);
}
END_TEST

START_TEST(drafts_are_the_owners_alone)
{
    struct sd_principal owner = {.role = SD_ROLE_ENTERPRISE}, approver = {.role = SD_ROLE_APPROVER},
                        person = {.role = SD_ROLE_APPLICANT};
    strcpy(owner.subject, "91330900MA2A0X1Y2B");
    strcpy(person.subject, "abc");
    approver.nregions = 1;
    strcpy(approver.regions[0], "330900");
    ck_assert(claim_visible(&owner, "enterprise", "91330900MA2A0X1Y2B", "330902", "330900", true));
    ck_assert(
        !claim_visible(&approver, "enterprise", "91330900MA2A0X1Y2B", "330902", "330900", true));
    ck_assert(
        claim_visible(&approver, "enterprise", "91330900MA2A0X1Y2B", "330902", "330900", false));
    ck_assert(!claim_visible(&approver, "enterprise", "x", "330502", "330500", false));
    ck_assert(claim_about_caller(&person, "abc", "submitted"));
    ck_assert(!claim_about_caller(&person, "abc", "draft"));
    ck_assert(!claim_about_caller(&person, "", "submitted"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("flow");
    TCase *tc = tcase_create("flow");
    tcase_add_test(tc, the_day_is_shanghais);
    tcase_add_test(tc, a_zone_counts_as_its_city);
    tcase_add_test(tc, drafts_are_the_owners_alone);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
