/* Calendar days and the two national identifiers the service validates.
 *
 * Dates are `YYYY-MM-DD` strings at the edge and a day number inside: the count of days of the
 * proleptic Gregorian calendar with 0001-01-01 = 1, so that 0 can mean "no date".
 * All functions here are pure and thread-safe. */
#ifndef SR_IDS_H
#define SR_IDS_H

#include <stdbool.h>
#include <stdint.h>

#define SR_NO_DATE             0
#define SR_DATE_STRLEN         11 /* "YYYY-MM-DD" and NUL */
#define SR_ID_LEN              18 /* resident ID and unified social credit code */
#define SR_OCCUPATION_CODE_LEN 11 /* "N-NN-NN-NN" and NUL */
#define SR_REGION_CODE_MAX     12 /* the longest region code (SQL: region.code) */

/* Day number of year-month-day, or SR_NO_DATE when that is not a calendar date (years 1..9999). */
int32_t sr_day_from_ymd(int year, int month, int day);
/* Splits a day number into year, month and day; any pointer may be NULL. */
void sr_day_to_ymd(int32_t day, int *year, int *month, int *mday);
/* Parses exactly `YYYY-MM-DD`; false (and *day untouched) on anything else. */
bool sr_day_parse(const char *text, int32_t *day);
/* Writes `YYYY-MM-DD` into out (SR_DATE_STRLEN bytes), or "" for SR_NO_DATE. */
void sr_day_format(int32_t day, char out[SR_DATE_STRLEN]);
/* The same day `months` calendar months later (negative goes back), clamped to the month's
 * last day: 2020-01-31 + 1 month = 2020-02-29. */
int32_t sr_day_add_months(int32_t day, int months);
/* Whole calendar months from `from` to `to` (0 when to < from). */
int sr_months_between(int32_t from, int32_t to);

enum sr_id_status {
    SR_ID_OK = 0,
    SR_ID_BAD_LENGTH,     /* not 18 characters */
    SR_ID_BAD_CHARACTER,  /* a character outside the allowed set */
    SR_ID_BAD_CHECK,      /* the check character does not match */
    SR_ID_BAD_BIRTH_DATE, /* resident ID only: no such date, before 1900 or after `today` */
};

/* Stable code of a status, e.g. "bad_check". */
const char *sr_id_status_name(enum sr_id_status status);

/* Validates an 18-character resident ID (GB 11643-1999): 17 digits, MOD 11-2 check character
 * (digit or X; a lower-case x is taken as the X of GB 11643, and callers store it upper-case), and
 * a birth date that exists, is not before 1900-01-01 and not after `today` (SR_NO_DATE skips the
 * upper bound). On SR_ID_OK stores the birth day in *birth_day when it is not NULL. */
enum sr_id_status sr_resident_id_check(const char *id, int32_t today, int32_t *birth_day);

/* Sex from a resident ID already checked: true for male (odd 17th digit). */
bool sr_resident_id_is_male(const char *id);

/* Validates an 18-character unified social credit code (GB 32100-2015): characters from
 * 0-9 and A-Z without I, O, Z, S, V; positions 3-8 digits (the region); MOD 31 check character. */
enum sr_id_status sr_credit_code_check(const char *code);

/* An occupation code of the 国家职业分类大典 (Occupational Classification of the PRC) in its one
 * stored spelling `N-NN-NN-NN`: major group (大类) one digit 1-8, middle (中类), small (小类) and
 * detail (细类) groups two digits each, joined by "-".  Groups after the first may be given
 * without their leading zero ("6-18-2-4" is written "6-18-02-04"); anything else (letters,
 * spaces, another number of groups, a group of three digits, a major group 0 or 9) is refused.
 * Writes the canonical form into out and returns true, or returns false and leaves out "". */
bool sr_occupation_canonical(const char *code, char out[SR_OCCUPATION_CODE_LEN]);

/* What a region code is, the one test for every region field: a GB/T 2260 code (six digits,
 * the first not 0: what a claim's person and training regions name, as a number), another code
 * of the region table (a functional zone such as 3309A1: 6 to SR_REGION_CODE_MAX digits and
 * capital letters, as sql/0001_foundation.sql's CHECK on region.code), or not a region code. */
enum sr_region_form {
    SR_REGION_INVALID = 0,
    SR_REGION_GB2260,
    SR_REGION_OTHER,
};
enum sr_region_form sr_region_code_form(const char *code);

#endif
