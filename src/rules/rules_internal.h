/* Private to src/rules: the loaded form of a policy file. Everything here is written once by
 * the loader and only read afterwards. */
#ifndef SR_RULES_INTERNAL_H
#define SR_RULES_INTERNAL_H

#include "sr_rules.h"

#define SR_NAME_LEN        64
#define SR_SECTION_LEN     48
#define SR_TEXT_LEN        256
#define SR_MAX_GROUP_TERMS 8
#define SR_MAX_UPLIFTS     4

enum sr_unit {
    SR_UNIT_CLAIM = 0, /* one amount per claim */
    SR_UNIT_HOUR,
    SR_UNIT_DAY,
    SR_UNIT_MONTH,
    SR_UNIT_SEMESTER,
    SR_UNIT_YEAR,
    SR_UNIT_COUNT
};

enum sr_date_basis {
    SR_BASIS_CERTIFICATE = 0,
    SR_BASIS_TRAINING_END,
    SR_BASIS_TRAINING_START,
    SR_BASIS_EVALUATION,
    SR_BASIS_COUNT
};

enum sr_catalog_match {
    SR_CATALOG_NOT_USED = 0,
    SR_CATALOG_OCCUPATION_LEVEL, /* entry of the claim's occupation, at the rule's level */
    SR_CATALOG_YEAR_ONLY,        /* a city-wide figure (minimum living standard) for the year */
};

/* Residency bases (bits). */
enum sr_basis {
    SR_RES_HUKOU = 1u << 0,
    SR_RES_RESIDENCE = 1u << 1,
    SR_RES_EMPLOYMENT = 1u << 2,
    SR_RES_UNEMPLOYMENT = 1u << 3,
    SR_RES_TRAINING = 1u << 4,
};

/* One row of a policy: a selector (kind, level, variant, renewal, province), requirements,
 * and the amount formula. */
/* The key of the "same occupation and level once" rule for a row: the occupation and level
 * (occupational kinds), the kind alone (veterans' training), the kind and variant (seafarers',
 * fishing crew's certificates, IYB/SYB), or none (counted in the yearly quota only). */
enum sr_same_key {
    SR_SAME_OCCUPATION_LEVEL = 0,
    SR_SAME_KIND,
    SR_SAME_KIND_VARIANT,
    SR_SAME_NONE,
};

struct sr_rule {
    char id[SR_NAME_LEN];
    char section[SR_SECTION_LEN];
    int line;
    enum sr_kind kind;
    /* selectors; 0 / -1 = any */
    uint32_t level_mask;
    uint32_t variant_mask;
    int8_t renewal;  /* -1 any, 0 new only, 1 renewal only */
    int8_t province; /* -1 any, 0 in province, 1 out of province */
    /* requirements */
    uint32_t cert_mask; /* 0 = no certificate needed */
    bool shortage_required;
    bool employer_required;
    bool person_required;
    bool working_age_required;
    uint32_t payee_mask;
    uint32_t group_terms[SR_MAX_GROUP_TERMS]; /* any of these, each a set of groups all needed */
    int group_term_count;
    int32_t min_hours;
    int32_t min_duration_months;
    int32_t max_duration_months;
    int32_t hire_window_months;
    int32_t min_ui_months;
    enum sr_issuer min_issuer;
    int32_t certificate_from;
    bool once_ever; /* once per person and same key (below) for this kind */
    /* what "the same occupation and level once" compares for this row (same_key =) */
    enum sr_same_key same_key;
    bool once_per_year;
    bool quota;
    int32_t max_units;
    int32_t claim_window_years;
    enum sr_catalog_match catalog_match;
    enum sr_level catalog_level; /* NONE = the claim's level */
    int64_t catalog_min_fen;
    int64_t catalog_max_fen;
    int32_t advance_max_pct; /* 0 = no advance */
    uint32_t advance_payee_mask;
    enum sr_date_basis date_basis;
    /* formula */
    enum sr_unit unit;
    bool rate_from_catalog;
    int64_t rate_fen;
    bool cap_from_catalog;
    int64_t cap_fen;
    bool by_actual;
    int32_t fee_share_pct;
    int32_t uplift_pct;  /* built into the rule, e.g. master-apprentice +30 % */
    const char *formula; /* static name for the trace */
};

struct sr_uplift {
    char id[SR_NAME_LEN];
    char section[SR_SECTION_LEN];
    int32_t percent;
    int32_t until;      /* SR_NO_DATE = as long as the policy */
    uint64_t kind_mask; /* 1 << kind */
    bool not_with_shortage;
};

struct sr_policy {
    char id[SR_NAME_LEN];
    int version;
    char title[SR_TEXT_LEN];
    char source[SR_TEXT_LEN];
    char file[SR_TEXT_LEN];
    int line;
    int32_t region;
    int32_t issued;
    int32_t from;
    int32_t to;
    int32_t back_from;
    int32_t back_to;
    char dates_section[SR_SECTION_LEN];
    uint32_t residency_bases;
    char residency_section[SR_SECTION_LEN];
    int32_t per_year;
    bool once_per_occupation_level;
    char limits_section[SR_SECTION_LEN];
    bool retired_no_pension_covered;
    char retirement_section[SR_SECTION_LEN];
    uint32_t relative_of_disabled_as; /* groups a relative of a disabled person counts as */
    uint32_t relative_of_poor_as;
    char relatives_section[SR_SECTION_LEN];
    uint64_t graduate_skill_kinds;
    uint64_t graduate_entrepreneurship_kinds;
    char graduates_section[SR_SECTION_LEN];
    char commitment_section[SR_SECTION_LEN]; /* "" when the policy offers no commitment */
    uint64_t quota_kinds;                    /* kinds whose rows count towards the yearly quota */
    struct sr_uplift uplifts[SR_MAX_UPLIFTS];
    int uplift_count;
    struct sr_rule *rules;
    size_t rule_count;
    char **readings;
    size_t reading_count;
};

struct sr_policy_set {
    struct sr_policy **policies;
    size_t count;
};

/* Name tables shared by the loader and the evaluator. */
extern const char *const sr_unit_names[SR_UNIT_COUNT];
extern const char *const sr_basis_names[SR_BASIS_COUNT];

/* "a, b, c" of the non-NULL names other than "none", cut at len. */
void sr_names_list(const char *const *names, size_t n, char *buf, size_t len);

#endif
