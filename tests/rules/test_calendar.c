/* Working-day arithmetic across a real year: the State Council's 2021 holiday arrangement
 * (国办发明电〔2020〕27号), Spring Festival and National Day with their make-up working days. */
#include <check.h>
#include <stdlib.h>

#include "sr_calendar.h"
#include "sr_ids.h"

static int32_t D(const char *text)
{
    int32_t d = 0;
    if (!sr_day_parse(text, &d))
        abort(); /* a typo in this file */
    return d;
}

static int32_t holidays[64], workdays[16];
static struct sr_calendar cal2021;

static void range(int32_t *out, size_t *n, const char *from, const char *to)
{
    for (int32_t d = D(from); d <= D(to); d++)
        if (sr_weekday(d) < 6)
            out[(*n)++] = d;
}

static void setup(void)
{
    size_t h = 0, w = 0;
    range(holidays, &h, "2021-01-01", "2021-01-03"); /* 元旦 */
    range(holidays, &h, "2021-02-11", "2021-02-17"); /* 春节 */
    range(holidays, &h, "2021-04-03", "2021-04-05"); /* 清明 */
    range(holidays, &h, "2021-05-01", "2021-05-05"); /* 劳动节 */
    range(holidays, &h, "2021-06-12", "2021-06-14"); /* 端午 */
    range(holidays, &h, "2021-09-19", "2021-09-21"); /* 中秋 */
    range(holidays, &h, "2021-10-01", "2021-10-07"); /* 国庆 */
    const char *makeup[] = {"2021-02-07", "2021-02-20", "2021-04-25", "2021-05-08",
                            "2021-09-18", "2021-09-26", "2021-10-09"};
    for (size_t i = 0; i < sizeof makeup / sizeof makeup[0]; i++)
        workdays[w++] = D(makeup[i]);
    cal2021 = (struct sr_calendar){holidays, h, workdays, w};
}

START_TEST(weekdays)
{
    ck_assert_int_eq(sr_weekday(D("2021-01-01")), 5); /* a Friday */
    ck_assert_int_eq(sr_weekday(D("2021-02-07")), 7);
    ck_assert_int_eq(sr_weekday(D("2000-02-29")), 2);
}
END_TEST

START_TEST(spring_festival)
{
    ck_assert(!sr_is_working_day(&cal2021, D("2021-02-12")));
    ck_assert(sr_is_working_day(&cal2021, D("2021-02-07"))); /* Sunday, made up */
    ck_assert(sr_is_working_day(&cal2021, D("2021-02-20"))); /* Saturday, made up */
    ck_assert(!sr_is_working_day(&cal2021, D("2021-02-21")));
    ck_assert_int_eq(sr_add_working_days(&cal2021, D("2021-02-10"), 1), D("2021-02-18"));
    ck_assert_int_eq(sr_add_working_days(&cal2021, D("2021-02-05"), 1), D("2021-02-07"));
    ck_assert_int_eq(sr_add_working_days(&cal2021, D("2021-02-10"), 3), D("2021-02-20"));
    ck_assert_int_eq(sr_working_days_between(&cal2021, D("2021-02-10"), D("2021-02-18")), 1);
}
END_TEST

START_TEST(national_day)
{
    ck_assert(sr_is_working_day(&cal2021, D("2021-09-26"))); /* Sunday, made up */
    ck_assert(!sr_is_working_day(&cal2021, D("2021-10-04")));
    ck_assert_int_eq(sr_add_working_days(&cal2021, D("2021-09-30"), 1), D("2021-10-08"));
    ck_assert_int_eq(sr_add_working_days(&cal2021, D("2021-09-24"), 1), D("2021-09-26"));
    /* a five-working-day notice opened on 2021-09-28 ends on 2021-10-11 */
    ck_assert_int_eq(sr_add_working_days(&cal2021, D("2021-09-28"), 5), D("2021-10-11"));
    ck_assert_int_eq(sr_add_working_days(&cal2021, D("2021-09-28"), 0), D("2021-09-28"));
}
END_TEST

START_TEST(plain_weeks_without_calendar)
{
    struct sr_calendar none = {0};
    ck_assert_int_eq(sr_add_working_days(&none, D("2021-10-01"), 1), D("2021-10-04"));
    ck_assert_int_eq(sr_add_working_days(&none, D("2021-10-01"), 5), D("2021-10-08"));
    ck_assert_int_eq(sr_working_days_between(&none, D("2021-10-08"), D("2021-10-01")), 0);
}
END_TEST

int main(void)
{
    setup();
    Suite *s = suite_create("calendar");
    TCase *tc = tcase_create("working days");
    tcase_add_test(tc, weekdays);
    tcase_add_test(tc, spring_festival);
    tcase_add_test(tc, national_day);
    tcase_add_test(tc, plain_weeks_without_calendar);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
