/* Who a policy covers, for the roster signals (sr_coverage.h). */
#include "sr_coverage.h"

#include "rules_internal.h"

/* Months from born's month to the first month of the raised ages, or -1 before it. */
static int months_after(int32_t born, int from_year)
{
    int y, m;
    sr_day_to_ymd(born, &y, &m, NULL);
    int k = (y - from_year) * 12 + (m - 1);
    return k < 0 ? -1 : k;
}

int32_t sr_retirement_day(int32_t born, bool male, int *age_months)
{
    int months;
    if (male) {
        int k = months_after(born, 1965);
        int delay = k < 0 ? 0 : k / 4 + 1;
        months = 60 * 12 + (delay > 36 ? 36 : delay);
    } else {
        int k = months_after(born, 1975);
        int delay = k < 0 ? 0 : k / 2 + 1;
        months = 50 * 12 + (delay > 60 ? 60 : delay);
    }
    if (age_months)
        *age_months = months;
    return sr_day_add_months(born, months);
}

bool sr_policy_covers_retired(const struct sr_policy *policy, const char **section)
{
    *section = policy->retirement_section;
    return policy->retired_no_pension_covered;
}

bool sr_policy_covers_graduating(const struct sr_policy *policy, const char **section)
{
    *section = policy->graduates_section;
    return policy->graduates_section[0] != '\0' &&
           (policy->graduate_skill_kinds || policy->graduate_entrepreneurship_kinds);
}
