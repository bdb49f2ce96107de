/* Day numbers, the resident ID (GB 11643-1999), the unified social credit code
 * (GB 32100-2015) and occupation codes of the 国家职业分类大典. */
#include "sr_ids.h"

#include <stdio.h>
#include <string.h>

/* Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* 0001-01-01 is day 1; days_from_civil(1, 1, 1) is -719162. */
#define RD_OFFSET 719163

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

int32_t sr_day_from_ymd(int year, int month, int day)
{
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
        day > days_in_month(year, month))
        return SR_NO_DATE;
    return (int32_t)(days_from_civil(year, month, day) + RD_OFFSET);
}

void sr_day_to_ymd(int32_t day, int *year, int *month, int *mday)
{
    const int64_t z = (int64_t)day - RD_OFFSET + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    const int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    const int y = (int)(yoe + era * 400 + (m <= 2));
    if (year)
        *year = y;
    if (month)
        *month = m;
    if (mday)
        *mday = d;
}

static bool digits(const char *s, size_t n, int *value)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *value = v;
    return true;
}

bool sr_day_parse(const char *text, int32_t *day)
{
    int y, m, d;
    if (!text || strlen(text) != 10 || text[4] != '-' || text[7] != '-')
        return false;
    if (!digits(text, 4, &y) || !digits(text + 5, 2, &m) || !digits(text + 8, 2, &d))
        return false;
    const int32_t v = sr_day_from_ymd(y, m, d);
    if (v == SR_NO_DATE)
        return false;
    *day = v;
    return true;
}

void sr_day_format(int32_t day, char out[SR_DATE_STRLEN])
{
    int y, m, d;
    if (day == SR_NO_DATE) {
        out[0] = '\0';
        return;
    }
    sr_day_to_ymd(day, &y, &m, &d);
    if (y < 0 || y > 9999) {
        out[0] = '\0';
        return;
    }
    snprintf(out, SR_DATE_STRLEN, "%04d-%02d-%02d", y, m, d);
}

int32_t sr_day_add_months(int32_t day, int months)
{
    int y, m, d;
    sr_day_to_ymd(day, &y, &m, &d);
    int64_t total = (int64_t)y * 12 + (m - 1) + months;
    if (total < 12 || total > 9999LL * 12 + 11)
        return SR_NO_DATE;
    y = (int)(total / 12);
    m = (int)(total % 12) + 1;
    const int dim = days_in_month(y, m);
    return sr_day_from_ymd(y, m, d > dim ? dim : d);
}

int sr_months_between(int32_t from, int32_t to)
{
    int y1, m1, d1, y2, m2, d2;
    if (to <= from)
        return 0;
    sr_day_to_ymd(from, &y1, &m1, &d1);
    sr_day_to_ymd(to, &y2, &m2, &d2);
    int n = (y2 - y1) * 12 + (m2 - m1);
    /* a month counts once the same day of the month is reached (clamped at month end) */
    if (n > 0 && sr_day_add_months(from, n) > to)
        n--;
    return n;
}

const char *sr_id_status_name(enum sr_id_status status)
{
    switch (status) {
    case SR_ID_OK:
        return "ok";
    case SR_ID_BAD_LENGTH:
        return "bad_length";
    case SR_ID_BAD_CHARACTER:
        return "bad_character";
    case SR_ID_BAD_CHECK:
        return "bad_check";
    case SR_ID_BAD_BIRTH_DATE:
        return "bad_birth_date";
    }
    return NULL;
}

enum sr_id_status sr_resident_id_check(const char *id, int32_t today, int32_t *birth_day)
{
    static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
    if (!id || strnlen(id, SR_ID_LEN + 1) != SR_ID_LEN)
        return SR_ID_BAD_LENGTH;
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (id[i] < '0' || id[i] > '9')
            return SR_ID_BAD_CHARACTER;
        sum += (id[i] - '0') * weight[i];
    }
    const char last = id[17] == 'x' ? 'X' : id[17]; /* as typed; GB 11643 writes X */
    if (!((last >= '0' && last <= '9') || last == 'X'))
        return SR_ID_BAD_CHARACTER;
    if (last != check[sum % 11])
        return SR_ID_BAD_CHECK;
    int y = 0, m = 0, d = 0;
    digits(id + 6, 4, &y);
    digits(id + 10, 2, &m);
    digits(id + 12, 2, &d);
    const int32_t born = sr_day_from_ymd(y, m, d);
    if (born == SR_NO_DATE || y < 1900 || (today != SR_NO_DATE && born > today))
        return SR_ID_BAD_BIRTH_DATE;
    if (birth_day)
        *birth_day = born;
    return SR_ID_OK;
}

bool sr_resident_id_is_male(const char *id)
{
    return ((id[16] - '0') & 1) == 1;
}

/* Value of a credit-code character, or -1. The set leaves out I, O, Z, S and V. */
static int credit_char_value(char c)
{
    static const char set[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    if (c == '\0')
        return -1;
    const char *p = strchr(set, c);
    return p ? (int)(p - set) : -1;
}

enum sr_id_status sr_credit_code_check(const char *code)
{
    static const int weight[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    if (!code || strnlen(code, SR_ID_LEN + 1) != SR_ID_LEN)
        return SR_ID_BAD_LENGTH;
    int sum = 0;
    for (int i = 0; i < 18; i++) {
        const int v = credit_char_value(code[i]);
        if (v < 0 || (i >= 2 && i <= 7 && v > 9))
            return SR_ID_BAD_CHARACTER;
        if (i < 17)
            sum += v * weight[i];
    }
    const int expect = (31 - sum % 31) % 31;
    return credit_char_value(code[17]) == expect ? SR_ID_OK : SR_ID_BAD_CHECK;
}

bool sr_occupation_canonical(const char *code, char out[SR_OCCUPATION_CODE_LEN])
{
    out[0] = '\0';
    if (!code)
        return false;
    int group[4], n = 0;
    const char *s = code;
    for (;;) {
        size_t len = strspn(s, "0123456789");
        /* the major group is one digit, the others one or two */
        if (n == 4 || len < 1 || len > (n == 0 ? 1u : 2u) || !digits(s, len, &group[n]))
            return false;
        n++;
        s += len;
        if (*s == '\0')
            break;
        if (*s++ != '-')
            return false;
    }
    if (n != 4 || group[0] < 1 || group[0] > 8)
        return false;
    snprintf(out, SR_OCCUPATION_CODE_LEN, "%d-%02d-%02d-%02d", group[0], group[1], group[2],
             group[3]);
    return true;
}

enum sr_region_form sr_region_code_form(const char *code)
{
    size_t n = code ? strlen(code) : 0;
    if (n < 6 || n > SR_REGION_CODE_MAX ||
        strspn(code, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != n)
        return SR_REGION_INVALID;
    return n == 6 && strspn(code, "0123456789") == 6 && code[0] != '0' ? SR_REGION_GB2260
                                                                       : SR_REGION_OTHER;
}
