#include "sr_calendar.h"

static bool contains(const int32_t *days, size_t n, int32_t day)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (days[mid] == day)
            return true;
        if (days[mid] < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

int sr_weekday(int32_t day)
{
    /* day 1 = 0001-01-01, a Monday in the proleptic Gregorian calendar */
    return (int)((day - 1) % 7) + 1;
}

bool sr_is_working_day(const struct sr_calendar *cal, int32_t day)
{
    if (sr_weekday(day) >= 6)
        return contains(cal->workdays, cal->workday_count, day);
    return !contains(cal->holidays, cal->holiday_count, day);
}

int32_t sr_add_working_days(const struct sr_calendar *cal, int32_t day, int n)
{
    while (n > 0) {
        day++;
        if (sr_is_working_day(cal, day))
            n--;
    }
    return day;
}

int sr_working_days_between(const struct sr_calendar *cal, int32_t from, int32_t to)
{
    int n = 0;
    for (int32_t d = from + 1; d <= to; d++)
        if (sr_is_working_day(cal, d))
            n++;
    return n;
}
