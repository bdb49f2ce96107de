/* Resident IDs (GB 11643-1999), credit codes (GB 32100-2015), day numbers, regions, money and
 * the stable names of the public enums. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sr_rules.h"

static int32_t day(const char *s)
{
    int32_t d = SR_NO_DATE;
    ck_assert_msg(sr_day_parse(s, &d), "bad date %s", s);
    return d;
}

START_TEST(test_resident_id)
{
    int32_t born = 0;
    const int32_t today = day("2020-06-30");
    ck_assert_int_eq(sr_resident_id_check("11010519491231002X", today, &born), SR_ID_OK);
    ck_assert_int_eq(born, day("1949-12-31"));
    ck_assert(!sr_resident_id_is_male("11010519491231002X"));
    ck_assert_int_eq(sr_resident_id_check("330902199001011238", today, NULL), SR_ID_OK);
    ck_assert(sr_resident_id_is_male("330902199001011238"));
    ck_assert_int_eq(sr_resident_id_check("32090219800505006X", today, NULL), SR_ID_OK);
    /* lower-case x is the X of GB 11643 (the daemon stores X) */
    ck_assert_int_eq(sr_resident_id_check("11010519491231002x", today, NULL), SR_ID_OK);
    ck_assert_int_eq(sr_resident_id_check("110105194912310021", today, NULL), SR_ID_BAD_CHECK);
    ck_assert_int_eq(sr_resident_id_check("330902199001011239", today, NULL), SR_ID_BAD_CHECK);
    ck_assert_int_eq(sr_resident_id_check("33090219900101123", today, NULL), SR_ID_BAD_LENGTH);
    ck_assert_int_eq(sr_resident_id_check("3309021990010112380", today, NULL), SR_ID_BAD_LENGTH);
    ck_assert_int_eq(sr_resident_id_check("", today, NULL), SR_ID_BAD_LENGTH);
    ck_assert_int_eq(sr_resident_id_check(NULL, today, NULL), SR_ID_BAD_LENGTH);
    ck_assert_int_eq(sr_resident_id_check("3309021990A1011238", today, NULL), SR_ID_BAD_CHARACTER);
    /* the check character is right, the dates are not */
    ck_assert_int_eq(sr_resident_id_check("330902199002301237", today, NULL), SR_ID_BAD_BIRTH_DATE);
    ck_assert_int_eq(sr_resident_id_check("330902188901010018", today, NULL), SR_ID_BAD_BIRTH_DATE);
    ck_assert_int_eq(sr_resident_id_check("330902203001010015", today, NULL), SR_ID_BAD_BIRTH_DATE);
    /* with no evaluation date, only the calendar is checked */
    ck_assert_int_eq(sr_resident_id_check("330902203001010015", SR_NO_DATE, NULL), SR_ID_OK);
    ck_assert_str_eq(sr_id_status_name(SR_ID_BAD_CHECK), "bad_check");
}
END_TEST

/* 国家职业分类大典: major group 1-8, then middle, small and detail groups of two digits. */
START_TEST(test_occupation_code)
{
    char out[SR_OCCUPATION_CODE_LEN];
    static const char *const same[][2] = {
        {"6-18-02-04", "6-18-02-04"}, {"6-18-2-4", "6-18-02-04"},   {"6-18-02-4", "6-18-02-04"},
        {"4-1-1-1", "4-01-01-01"},    {"2-02-07-10", "2-02-07-10"}, {"8-00-00-00", "8-00-00-00"},
        {"1-0-0-0", "1-00-00-00"},
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        ck_assert_msg(sr_occupation_canonical(same[i][0], out), "%s refused", same[i][0]);
        ck_assert_str_eq(out, same[i][1]);
    }
    static const char *const bad[] = {
        "",
        "6",
        "6-18-02",
        "6-18-02-04-01",
        "9-99-99-99",
        "0-18-02-04",
        "06-18-02-04",
        "6-018-02-04",
        "6-18-02-004",
        "6-18-02-0A",
        "X-18-02-04",
        "6.18.02.04",
        "6-18--04",
        "6-18-02-04-",
        "-6-18-02-04",
        " 6-18-02-04",
        "6-18-02-04 ",
        "6－18－02－04",
        "61802 04",
        "6_18_02_04",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(!sr_occupation_canonical(bad[i], out), "%s accepted", bad[i]);
        ck_assert_str_eq(out, "");
    }
    ck_assert(!sr_occupation_canonical(NULL, out));
}
END_TEST

START_TEST(test_credit_code)
{
    ck_assert_int_eq(sr_credit_code_check("91350100M000100Y43"), SR_ID_OK);
    ck_assert_int_eq(sr_credit_code_check("91330900MA28K0001W"), SR_ID_OK);
    ck_assert_int_eq(sr_credit_code_check("52330900MJ0000006R"), SR_ID_OK);
    ck_assert_int_eq(sr_credit_code_check("91330200MA2C000036"), SR_ID_OK);
    ck_assert_int_eq(sr_credit_code_check("91350100M000100Y44"), SR_ID_BAD_CHECK);
    ck_assert_int_eq(sr_credit_code_check("52330900MJ0000006S"), SR_ID_BAD_CHARACTER);
    ck_assert_int_eq(sr_credit_code_check("91350100M000100O43"), SR_ID_BAD_CHARACTER);
    ck_assert_int_eq(sr_credit_code_check("9135010OM000100Y43"), SR_ID_BAD_CHARACTER);
    ck_assert_int_eq(sr_credit_code_check("91350A00M000100Y43"), SR_ID_BAD_CHARACTER);
    ck_assert_int_eq(sr_credit_code_check("91350100m000100Y43"), SR_ID_BAD_CHARACTER);
    ck_assert_int_eq(sr_credit_code_check("91350100M000100Y4"), SR_ID_BAD_LENGTH);
    ck_assert_int_eq(sr_credit_code_check(NULL), SR_ID_BAD_LENGTH);
}
END_TEST

START_TEST(test_days)
{
    char buf[SR_DATE_STRLEN];
    ck_assert_int_eq(sr_day_from_ymd(1, 1, 1), 1);
    ck_assert_int_eq(sr_day_from_ymd(2021, 2, 29), SR_NO_DATE);
    ck_assert_int_ne(sr_day_from_ymd(2000, 2, 29), SR_NO_DATE);
    ck_assert_int_eq(sr_day_from_ymd(1900, 2, 29), SR_NO_DATE);
    ck_assert_int_eq(sr_day_from_ymd(2020, 13, 1), SR_NO_DATE);
    ck_assert_int_eq(day("2020-03-01") - day("2020-02-28"), 2);
    for (int32_t d = day("1899-12-25"); d < day("2101-01-05"); d += 7) {
        int32_t back;
        sr_day_format(d, buf);
        ck_assert(sr_day_parse(buf, &back));
        ck_assert_int_eq(back, d);
    }
    int32_t x = 5;
    ck_assert(!sr_day_parse("2020-1-01", &x));
    ck_assert(!sr_day_parse("2020-01-01 ", &x));
    ck_assert(!sr_day_parse("2020/01/01", &x));
    ck_assert(!sr_day_parse("", &x));
    ck_assert(!sr_day_parse(NULL, &x));
    ck_assert_int_eq(x, 5);
    sr_day_format(SR_NO_DATE, buf);
    ck_assert_str_eq(buf, "");
    ck_assert_int_eq(sr_day_add_months(day("2020-01-31"), 1), day("2020-02-29"));
    ck_assert_int_eq(sr_day_add_months(day("2019-01-31"), 1), day("2019-02-28"));
    ck_assert_int_eq(sr_day_add_months(day("2020-12-15"), 2), day("2021-02-15"));
    ck_assert_int_eq(sr_day_add_months(day("2020-03-15"), -3), day("2019-12-15"));
    ck_assert_int_eq(sr_months_between(day("2020-01-15"), day("2020-07-14")), 5);
    ck_assert_int_eq(sr_months_between(day("2020-01-15"), day("2020-07-15")), 6);
    ck_assert_int_eq(sr_months_between(day("2020-01-31"), day("2020-02-29")), 1);
    ck_assert_int_eq(sr_months_between(day("2020-07-15"), day("2020-01-15")), 0);
}
END_TEST

START_TEST(test_regions_money)
{
    ck_assert(sr_region_within(330902, 330900));
    ck_assert(sr_region_within(330900, 330900));
    ck_assert(!sr_region_within(330203, 330900));
    ck_assert(sr_region_within(331081, 331081));
    ck_assert(!sr_region_within(331002, 331081));
    ck_assert(!sr_region_within(331000, 331081));
    ck_assert(sr_region_within(330902, 330000));
    ck_assert(!sr_region_within(0, 330900));
    ck_assert(!sr_region_within(330902, 0));
    char m[24];
    sr_money_format(123456, m);
    ck_assert_str_eq(m, "1234.56");
    sr_money_format(-5, m);
    ck_assert_str_eq(m, "-0.05");
    sr_money_format(0, m);
    ck_assert_str_eq(m, "0.00");
    ck_assert_int_eq(sr_percent_of(5, 10), 1); /* 0.5 fen rounds up */
    ck_assert_int_eq(sr_percent_of(4, 10), 0);
    ck_assert_int_eq(sr_percent_of(123455, 30), 37037);
    ck_assert_int_eq(sr_percent_of(SR_MONEY_MAX, 100), SR_MONEY_MAX);
}
END_TEST

/* Every stable name parses back to its value. */
START_TEST(test_names)
{
    for (int i = 0; i < SR_KIND_COUNT; i++) {
        enum sr_kind k;
        ck_assert(sr_kind_parse(sr_kind_name((enum sr_kind)i), &k) && (int)k == i);
    }
    for (int i = 0; i < SR_LEVEL_COUNT; i++) {
        enum sr_level v;
        ck_assert(sr_level_parse(sr_level_name((enum sr_level)i), &v) && (int)v == i);
    }
    for (int i = 0; i < SR_CERT_COUNT; i++) {
        enum sr_cert_kind v;
        ck_assert(sr_cert_kind_parse(sr_cert_kind_name((enum sr_cert_kind)i), &v) && (int)v == i);
    }
    for (int i = 0; i < SR_VARIANT_COUNT; i++) {
        enum sr_variant v;
        ck_assert(sr_variant_parse(sr_variant_name((enum sr_variant)i), &v) && (int)v == i);
    }
    for (int i = 0; i < SR_PAYEE_COUNT; i++) {
        enum sr_payee v;
        ck_assert(sr_payee_parse(sr_payee_name((enum sr_payee)i), &v) && (int)v == i);
    }
    for (int i = 0; i < SR_ISSUER_COUNT; i++) {
        enum sr_issuer v;
        ck_assert(sr_issuer_parse(sr_issuer_name((enum sr_issuer)i), &v) && (int)v == i);
    }
    for (int i = 0; i < SR_GROUP_BITS; i++) {
        enum sr_group g;
        ck_assert(sr_group_parse(sr_group_name((enum sr_group)(1u << i)), &g) &&
                  (uint32_t)g == 1u << i);
    }
    for (int i = 0; i < SR_P_COUNT; i++) {
        enum sr_problem_code c;
        const char *name = sr_problem_code_name((enum sr_problem_code)i);
        ck_assert_msg(name != NULL, "problem %d has no name", i);
        ck_assert(sr_problem_code_parse(name, &c) && (int)c == i);
        ck_assert(sr_problem_message_zh(c)[0] && sr_problem_message_en(c)[0]);
        for (int j = 0; j < i; j++)
            ck_assert_str_ne(name, sr_problem_code_name((enum sr_problem_code)j));
    }
    ck_assert_ptr_null(sr_kind_name(SR_KIND_COUNT));
    ck_assert_ptr_null(sr_problem_code_name(SR_P_COUNT));
    enum sr_kind k;
    ck_assert(!sr_kind_parse("certificate", &k));
    ck_assert(!sr_kind_parse(NULL, &k));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rules-ids");
    TCase *tc = tcase_create("ids");
    tcase_add_test(tc, test_resident_id);
    tcase_add_test(tc, test_credit_code);
    tcase_add_test(tc, test_occupation_code);
    tcase_add_test(tc, test_days);
    tcase_add_test(tc, test_regions_money);
    tcase_add_test(tc, test_names);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
