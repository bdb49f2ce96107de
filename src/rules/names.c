/* Stable names of the rule module's own enums (kinds, certificates, variants, issuers, groups,
 * units). The codes are part of the API: never rename one, only add. The shared vocabulary
 * (levels, payees, roles, states) is api/vocabulary.csv and the problem catalogue
 * api/problems.csv, both generated into C at build time. */
#include "rules_internal.h"

#include <stdio.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const kind_names[SR_KIND_COUNT] = {
    [SR_KIND_NONE] = "none",
    [SR_KIND_CERTIFICATE_TRAINING] = "certificate_training",
    [SR_KIND_SAFETY_TRAINING] = "safety_training",
    [SR_KIND_SEAFARER] = "seafarer",
    [SR_KIND_FISHING_CREW] = "fishing_crew",
    [SR_KIND_ENTREPRENEURSHIP] = "entrepreneurship",
    [SR_KIND_IYB_SYB] = "iyb_syb",
    [SR_KIND_VETERAN_TRAINING] = "veteran_training",
    [SR_KIND_EMPLOYMENT_TRAINING] = "employment_training",
    [SR_KIND_ELITE_TRAINING] = "elite_training",
    [SR_KIND_GOLDEN_BLUE_COLLAR] = "golden_blue_collar",
    [SR_KIND_ORDER_TRAINING] = "order_training",
    [SR_KIND_LABOUR_PREPARATION] = "labour_preparation",
    [SR_KIND_PROJECT_TRAINING] = "project_training",
    [SR_KIND_APPRENTICE_EMPLOYEE] = "apprentice_employee",
    [SR_KIND_APPRENTICE_STUDENT] = "apprentice_student",
    [SR_KIND_LEVEL3_BONUS] = "level3_bonus",
    [SR_KIND_POSITION_SUBSIDY] = "position_subsidy",
    [SR_KIND_PRE_JOB_TRAINING] = "pre_job_training",
    [SR_KIND_SPECIAL_OPERATION] = "special_operation",
    [SR_KIND_APPRAISAL] = "appraisal",
    [SR_KIND_LIVING_ALLOWANCE] = "living_allowance",
    [SR_KIND_MASTER_APPRENTICE] = "master_apprentice",
    [SR_KIND_SHORT_POST_SKILL] = "short_post_skill",
    [SR_KIND_WORK_BASED_TRAINING] = "work_based_training",
    [SR_KIND_COMPETITION_ORGANISER] = "competition_organiser",
    [SR_KIND_PUBLIC_TRAINING_BASE] = "public_training_base",
    [SR_KIND_TRAINING_PACKAGE] = "training_package",
};

static const char *const cert_names[SR_CERT_COUNT] = {
    [SR_CERT_NONE] = "none",
    [SR_CERT_QUALIFICATION] = "qualification",
    [SR_CERT_SPECIAL_ABILITY] = "special_ability",
    [SR_CERT_TRAINING_PASS] = "training_pass",
    [SR_CERT_SPECIAL_OPERATION] = "special_operation",
    [SR_CERT_SAFETY] = "safety",
    [SR_CERT_SEAFARER] = "seafarer",
    [SR_CERT_ENTREPRENEURSHIP] = "entrepreneurship",
};

static const char *const variant_names[SR_VARIANT_COUNT] = {
    [SR_VARIANT_NONE] = "none",
    [SR_VARIANT_BASIC_SAFETY] = "basic_safety",
    [SR_VARIANT_ORDINARY_CREW] = "ordinary_crew",
    [SR_VARIANT_OFFICER_CREW] = "officer_crew",
    [SR_VARIANT_IYB] = "iyb",
    [SR_VARIANT_SYB] = "syb",
    [SR_VARIANT_SPECIAL_TYPE] = "special_type",
};

static const char *const issuer_names[SR_ISSUER_COUNT] = {
    [SR_ISSUER_UNKNOWN] = "unknown",     [SR_ISSUER_COUNTY] = "county",
    [SR_ISSUER_MUNICIPAL] = "municipal", [SR_ISSUER_PROVINCIAL] = "provincial",
    [SR_ISSUER_NATIONAL] = "national",
};

/* In bit order of enum sr_group. */
static const char *const group_names[SR_GROUP_BITS] = {
    "veteran",
    "disabled",
    "low_income",
    "zero_employment",
    "two_after_rural",
    "two_after_urban",
    "dibao",
    "military_spouse",
    "graduating_student",
    "retired_no_pension",
    "relative_of_disabled",
    "relative_of_poor",
    "laid_off",
    "employment_difficulty",
    "unemployed_hs_graduate",
};

const char *const sr_unit_names[SR_UNIT_COUNT] = {
    [SR_UNIT_CLAIM] = "claim", [SR_UNIT_HOUR] = "hour",         [SR_UNIT_DAY] = "day",
    [SR_UNIT_MONTH] = "month", [SR_UNIT_SEMESTER] = "semester", [SR_UNIT_YEAR] = "year",
};

const char *const sr_basis_names[SR_BASIS_COUNT] = {
    [SR_BASIS_CERTIFICATE] = "certificate",
    [SR_BASIS_TRAINING_END] = "training_end",
    [SR_BASIS_TRAINING_START] = "training_start",
    [SR_BASIS_EVALUATION] = "evaluation",
};

static const char *name_at(const char *const *names, size_t n, int i)
{
    return i >= 0 && (size_t)i < n ? names[i] : NULL;
}

static bool parse_in(const char *const *names, size_t n, const char *text, int *out)
{
    if (!text)
        return false;
    for (size_t i = 0; i < n; i++)
        if (names[i] && strcmp(names[i], text) == 0) {
            *out = (int)i;
            return true;
        }
    return false;
}

#define NAMER(fn, type, names)                                                                     \
    const char *fn(type v)                                                                         \
    {                                                                                              \
        return name_at(names, COUNT(names), (int)v);                                               \
    }
#define PARSER(fn, type, names)                                                                    \
    bool fn(const char *text, type *out)                                                           \
    {                                                                                              \
        int v;                                                                                     \
        if (!parse_in(names, COUNT(names), text, &v))                                              \
            return false;                                                                          \
        *out = (type)v;                                                                            \
        return true;                                                                               \
    }

void sr_names_list(const char *const *names, size_t n, char *buf, size_t len)
{
    if (len == 0)
        return;
    buf[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        if (!names[i] || strcmp(names[i], "none") == 0)
            continue;
        int w = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", names[i]);
        if (w < 0 || (size_t)w >= len - used)
            break;
        used += (size_t)w;
    }
}

#define LISTER(fn, names)                                                                          \
    void fn(char *buf, size_t len)                                                                 \
    {                                                                                              \
        sr_names_list(names, COUNT(names), buf, len);                                              \
    }

LISTER(sr_kind_list, kind_names)
LISTER(sr_cert_kind_list, cert_names)
LISTER(sr_variant_list, variant_names)
LISTER(sr_issuer_list, issuer_names)
LISTER(sr_group_list, group_names)

NAMER(sr_kind_name, enum sr_kind, kind_names)
NAMER(sr_cert_kind_name, enum sr_cert_kind, cert_names)
NAMER(sr_variant_name, enum sr_variant, variant_names)
NAMER(sr_issuer_name, enum sr_issuer, issuer_names)
PARSER(sr_kind_parse, enum sr_kind, kind_names)
PARSER(sr_cert_kind_parse, enum sr_cert_kind, cert_names)
PARSER(sr_variant_parse, enum sr_variant, variant_names)
PARSER(sr_issuer_parse, enum sr_issuer, issuer_names)

const char *sr_group_name(enum sr_group group)
{
    for (int i = 0; i < SR_GROUP_BITS; i++)
        if ((uint32_t)group == 1u << i)
            return group_names[i];
    return NULL;
}

bool sr_group_parse(const char *text, enum sr_group *out)
{
    int v;
    if (!parse_in(group_names, COUNT(group_names), text, &v))
        return false;
    *out = (enum sr_group)(1u << v);
    return true;
}

bool sr_region_within(int32_t region, int32_t area)
{
    if (region <= 0 || area <= 0)
        return false;
    /* strip trailing "00" pairs of the area: 330900 -> 3309, 330000 -> 33, 331081 -> 331081 */
    int32_t div = 1;
    while (area % (div * 100) == 0 && div < 10000)
        div *= 100;
    return region / div == area / div;
}
