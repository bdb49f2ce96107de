/* Working days: the official calendar of public holidays and make-up working days (调休), used
 * for notice periods (公示) and deadlines (承诺时限).  Pure and thread-safe; the caller owns the
 * day lists (from the database's calendar table). */
#ifndef SR_CALENDAR_H
#define SR_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sr_calendar {
    const int32_t *holidays; /* days off that would be working days, ascending */
    size_t holiday_count;
    const int32_t *workdays; /* weekend days that are working days (调休), ascending */
    size_t workday_count;
};

/* Monday to Friday unless a holiday; Saturday or Sunday only when a make-up working day. */
bool sr_is_working_day(const struct sr_calendar *cal, int32_t day);

/* The day n working days after day (day itself not counted; n >= 0).  n = 0 gives day. */
int32_t sr_add_working_days(const struct sr_calendar *cal, int32_t day, int n);

/* Working days from `from` (exclusive) up to `to` (inclusive); 0 when to <= from. */
int sr_working_days_between(const struct sr_calendar *cal, int32_t from, int32_t to);

/* 1 = Monday ... 7 = Sunday. */
int sr_weekday(int32_t day);

#endif
