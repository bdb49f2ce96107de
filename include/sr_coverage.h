/* Who a policy covers, as the roster signals of a class filing need it (src/flow/roster_signals.c):
 * the statutory retirement date of a resident ID's holder, and what each policy file says of
 * people past that age and of students in their graduation year (src/rules/domain/POLICIES.md).
 * Pure and thread-safe. */
#ifndef SR_COVERAGE_H
#define SR_COVERAGE_H

#include <stdbool.h>
#include <stdint.h>

struct sr_policy;

/* The day on which a person born on `born` reaches the statutory retirement age: 60 for men
 * and 50 for women (the lowest statutory age, that of women workers; women in cadre posts retire
 * at 55, which a resident ID cannot tell), both raised gradually for people born from 1965-01
 * (men: one month per four months of birth, up to 63) and 1975-01 (women: one month per two
 * months, up to 55) by the national decision on gradually raising the retirement age that took
 * effect on 2025-01-01.  *age_months is the age in months that applies. */
int32_t sr_retirement_day(int32_t born, bool male, int *age_months);

/* What the policy's [retirement] block says of a person past retirement age: true when it
 * covers them without a monthly pension (Jiaxing 五(十一), Yancheng 四(三)2); *section is the
 * block's section, "" when the policy says nothing (borrowed). */
bool sr_policy_covers_retired(const struct sr_policy *policy, const char **section);

/* True when the policy's [graduates] block covers students in their graduation year (Zhoushan
 * 二(四)); *section as above. */
bool sr_policy_covers_graduating(const struct sr_policy *policy, const char **section);

#endif
