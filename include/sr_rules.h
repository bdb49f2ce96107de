/* sr_rules: the subsidy rules of the five policy documents, as a pure C library.
 *
 * Policies are data (src/rules/policies/<id>.policy). They are loaded and checked once into an
 * immutable `struct sr_policy_set` that the caller owns; evaluation is then a pure function of
 * (policy, catalog entry, person, employer, claim, earlier claims, evaluation date) into a
 * caller-provided `struct sr_result`: no allocation, no global state, safe from many threads.
 *
 * Money is int64_t fen everywhere; dates are day numbers (sr_ids.h). Strings in a result point
 * either to static text or into the policy set, so a result stays valid while the set lives. */
#ifndef SR_RULES_H
#define SR_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sr_ids.h"
#include "sr_workflow.h"
/* enum sr_level, enum sr_payee (levels, plus the two certificate kinds the glossary lists
 * among them): api/vocabulary.csv; enum sr_problem_code and its names and messages:
 * api/problems.csv */
#include "sr_problems.h"
#include "sr_vocab.h"

#define SR_MAX_PROBLEMS    32
#define SR_ALLOWED_LEN     256
#define SR_OCCUPATION_LEN  32 /* catalog code such as "6-18-02-04", NUL included */
#define SR_CERT_NUMBER_LEN 40
#define SR_SAME_KEY_LEN    64              /* sr_trace.same_key */
#define SR_MONEY_MAX       1000000000000LL /* 10^12 fen: anything above is refused as absurd */

/* Subsidy kinds: one per kind of row in src/rules/domain/POLICIES.md. */
enum sr_kind {
    SR_KIND_NONE = 0,
    SR_KIND_CERTIFICATE_TRAINING, /* training with a qualification / skill-level certificate */
    SR_KIND_SAFETY_TRAINING,      /* high-risk industry safety training */
    SR_KIND_SEAFARER,             /* sea-going seafarer certificates */
    SR_KIND_FISHING_CREW,         /* fishing-vessel crew certificates */
    SR_KIND_ENTREPRENEURSHIP,     /* entrepreneurship training certificate */
    SR_KIND_IYB_SYB,              /* IYB / SYB training (variant iyb or syb) */
    SR_KIND_VETERAN_TRAINING,
    SR_KIND_EMPLOYMENT_TRAINING, /* single-skill employment training for listed groups */
    SR_KIND_ELITE_TRAINING,      /* 技能班 / 大师班 */
    SR_KIND_GOLDEN_BLUE_COLLAR,  /* 金蓝领 training abroad */
    SR_KIND_ORDER_TRAINING,      /* 订单式 */
    SR_KIND_LABOUR_PREPARATION,  /* 劳动预备 */
    SR_KIND_PROJECT_TRAINING,    /* 项目制 */
    SR_KIND_APPRENTICE_EMPLOYEE,
    SR_KIND_APPRENTICE_STUDENT,
    SR_KIND_LEVEL3_BONUS,     /* one-time bonus for a new level3 certificate */
    SR_KIND_POSITION_SUBSIDY, /* shortage-job technician position subsidy, per month */
    SR_KIND_PRE_JOB_TRAINING,
    SR_KIND_SPECIAL_OPERATION,     /* 特种作业操作证 */
    SR_KIND_APPRAISAL,             /* 鉴定补贴 */
    SR_KIND_LIVING_ALLOWANCE,      /* 生活费补贴, per training day */
    SR_KIND_MASTER_APPRENTICE,     /* 以师带徒 */
    SR_KIND_SHORT_POST_SKILL,      /* short post-skill training with a training-pass certificate */
    SR_KIND_WORK_BASED_TRAINING,   /* 以工代训 */
    SR_KIND_COMPETITION_ORGANISER, /* paid to an organisation */
    SR_KIND_PUBLIC_TRAINING_BASE,  /* paid to an organisation */
    SR_KIND_TRAINING_PACKAGE,      /* paid to an organisation */
    SR_KIND_COUNT
};

enum sr_cert_kind {
    SR_CERT_NONE = 0,
    SR_CERT_QUALIFICATION,     /* 职业资格证书 / 职业技能等级证书 */
    SR_CERT_SPECIAL_ABILITY,   /* 专项职业能力证书 */
    SR_CERT_TRAINING_PASS,     /* 培训合格证书 */
    SR_CERT_SPECIAL_OPERATION, /* 特种作业操作证 */
    SR_CERT_SAFETY,            /* safety-training certificate of the competent department */
    SR_CERT_SEAFARER,          /* seafarer / fishing-crew certificate of the maritime authority */
    SR_CERT_ENTREPRENEURSHIP,  /* 创业培训合格证书 */
    SR_CERT_COUNT
};

/* Sub-kinds that pick a row inside a kind. */
enum sr_variant {
    SR_VARIANT_NONE = 0,
    SR_VARIANT_BASIC_SAFETY,  /* seafarer / fishing crew basic safety */
    SR_VARIANT_ORDINARY_CREW, /* 普通船员证书 */
    SR_VARIANT_OFFICER_CREW,  /* 职务船员证书 */
    SR_VARIANT_IYB,
    SR_VARIANT_SYB,
    SR_VARIANT_SPECIAL_TYPE, /* project training: long, costly special occupation */
    SR_VARIANT_COUNT
};

/* Level of the authority that issued a certificate. */
enum sr_issuer {
    SR_ISSUER_UNKNOWN = 0,
    SR_ISSUER_COUNTY,
    SR_ISSUER_MUNICIPAL,
    SR_ISSUER_PROVINCIAL,
    SR_ISSUER_NATIONAL,
    SR_ISSUER_COUNT
};

/* Groups a person may belong to (bit set in sr_person.groups). */
enum sr_group {
    SR_GROUP_VETERAN = 1u << 0,
    SR_GROUP_DISABLED = 1u << 1,
    SR_GROUP_LOW_INCOME = 1u << 2,      /* 建档立卡低收入农户 / 贫困劳动力 */
    SR_GROUP_ZERO_EMPLOYMENT = 1u << 3, /* 零就业家庭成员 */
    SR_GROUP_TWO_AFTER_RURAL = 1u << 4, /* 两后生, rural */
    SR_GROUP_TWO_AFTER_URBAN = 1u << 5, /* 两后生, urban */
    SR_GROUP_DIBAO = 1u << 6,           /* 城乡低保家庭 */
    SR_GROUP_MILITARY_SPOUSE = 1u << 7,
    SR_GROUP_GRADUATING_STUDENT = 1u << 8,      /* in the graduation year, local college */
    SR_GROUP_RETIRED_NO_PENSION = 1u << 9,      /* past retirement age without monthly pension */
    SR_GROUP_RELATIVE_OF_DISABLED = 1u << 10,   /* direct relative of a severely disabled person */
    SR_GROUP_RELATIVE_OF_POOR = 1u << 11,       /* direct relative of a poor person */
    SR_GROUP_LAID_OFF = 1u << 12,               /* 下岗失业人员 */
    SR_GROUP_EMPLOYMENT_DIFFICULTY = 1u << 13,  /* 就业困难人员 */
    SR_GROUP_UNEMPLOYED_HS_GRADUATE = 1u << 14, /* 未就业的高中毕业生 */
};
#define SR_GROUP_BITS 15

struct sr_catalog_entry {
    char occupation[SR_OCCUPATION_LEN];
    enum sr_level level;
    int year;
    int64_t standard_fen;
    bool shortage;
    /* the part of standard_fen that is the shortage uplift (紧缺上浮), so the base standard is
     * standard_fen - shortage_uplift_fen; 0 = not stated (the standard is taken as it stands) */
    int64_t shortage_uplift_fen;
};

struct sr_person {
    char id_number[SR_ID_LEN + 1];
    /* GB/T 2260 codes such as 330902; 0 = unknown */
    int32_t hukou_region;
    int32_t residence_region; /* where the residence permit was issued (常住地) */
    int32_t employment_region;
    int32_t unemployment_region; /* where unemployment is registered (求职地) */
    int32_t training_region;
    uint32_t groups; /* enum sr_group bits */
    bool past_retirement_age;
};

struct sr_employer {
    char credit_code[SR_ID_LEN + 1];
    bool trade_friction_listed;
    int32_t trade_friction_from; /* day; SR_NO_DATE = since ever */
    int32_t trade_friction_to;   /* day; SR_NO_DATE = still listed */
    int32_t ui_months; /* months of unemployment insurance paid in the city for this employee */
    int32_t hire_date; /* day the person was hired */
};

struct sr_certificate {
    enum sr_cert_kind kind;
    char number[SR_CERT_NUMBER_LEN];
    int32_t issue_date;
    enum sr_issuer issuer;
};

struct sr_claim {
    enum sr_kind kind;
    enum sr_variant variant;
    char occupation[SR_OCCUPATION_LEN];
    enum sr_level level;
    struct sr_certificate certificate;
    bool renewal; /* 复审 rather than a new certificate */
    int32_t training_start;
    int32_t training_end;
    int32_t class_hours;
    int32_t training_days;
    int32_t months;
    int32_t semesters;
    int32_t years;
    int64_t actual_cost_fen;
    int64_t enterprise_fee_fen; /* fee the enterprise paid the training institution */
    bool out_of_province;
    int32_t advance_pct; /* share paid in advance, percent; 0 = none */
    enum sr_payee payee;
    bool commitment; /* filed under 告知承诺制: only a policy with a [commitment] block takes it */
};

/* One earlier claim of the same person (never the claim being judged). */
struct sr_history_entry {
    int year;
    char occupation[SR_OCCUPATION_LEN];
    enum sr_level level;
    enum sr_kind kind;
    enum sr_variant variant; /* NONE when not known */
    enum sr_claim_state state;
    bool renewal;
};

/* Everything one evaluation reads. Pointers are borrowed; NULL catalog, person or employer
 * means "none given". */
struct sr_input {
    const struct sr_catalog_entry *catalog;
    const struct sr_person *person;
    const struct sr_employer *employer;
    const struct sr_claim *claim;
    const struct sr_history_entry *history;
    size_t history_len;
    int32_t today; /* evaluation date */
};

struct sr_problem {
    enum sr_problem_code code;
    const char *code_name; /* stable, e.g. "quota_year_exhausted" */
    const char *field;     /* e.g. "claim.certificate.issue_date" */
    const char *section;   /* of the policy, e.g. "二(一)" */
    const char *message_zh;
    const char *message_en;
    /* for a claim the policy has no row for: the values of `field` it does have a row for
     * ("level5, level4") in the result's allowed text, else false */
    bool has_allowed;
};

#define SR_MAX_UNIT_CAPS 3

/* A duration limit that cut the units paid (a cap, not a refusal): the claim asked for more. */
struct sr_unit_cap {
    const char *reason;  /* "max_units": the row's "at most"; "certificate_age": months since the
                          * certificate; "effective_dates": the part of the claimed period inside
                          * the policy's dates (back-reach included) */
    const char *section; /* of the policy */
    int32_t limit;       /* the units this limit allows */
};

/* How the amount was reached, enough to redo the sum by hand. */
struct sr_trace {
    const char *policy_id;
    int policy_version;
    const char *rule_id;      /* the row of the policy file that decided */
    const char *rule_section; /* its section in the document */
    const char *formula;      /* "actual_capped", "fixed", "per_hour", ... */
    int32_t event_date;       /* the date judged against the effective dates */
    const char *date_basis;   /* which date that is: "certificate", "training_end", ... */
    bool catalog_used;
    struct sr_catalog_entry catalog; /* copy of the entry that decided, when used */
    const char *unit;                /* "hour", "day", "month", "semester", "year" or "claim" */
    int32_t units;                   /* how many of them counted (paid) */
    int32_t units_claimed;           /* how many the claim asked for (1 for unit "claim") */
    struct sr_unit_cap unit_caps[SR_MAX_UNIT_CAPS]; /* each limit that cut, in order */
    int unit_cap_count;
    int64_t rate_fen;     /* per unit */
    int64_t standard_fen; /* rate x units, or the fee share when higher */
    int32_t fee_share_pct;
    int64_t fee_share_fen; /* of the fee's share for the units paid, when a cap cut them */
    const char *uplift_id; /* NULL when none applies */
    const char *uplift_section;
    const char *uplift_note; /* why an uplift was not applied, e.g. "not_with_shortage" */
    int32_t uplift_pct;
    int64_t uplift_fen; /* standard x pct / 100, rounded half up to the fen */
    /* A policy uplift "not with the shortage uplift" met a catalog entry that states its
     * shortage uplift: the larger single uplift is paid on the base (equal: the shortage one). */
    bool uplift_compared;
    int64_t base_fen;            /* (catalog standard - shortage uplift) x units */
    int64_t shortage_uplift_fen; /* the entry's shortage uplift x units */
    int64_t policy_uplift_fen;   /* the policy uplift's percent of base_fen, half up */
    int64_t cap_fen;             /* per-person cap of the row, besides the standard; 0 = none */
    int64_t limit_fen;           /* the applicable cap: min(standard + uplift, cap) */
    bool by_actual;              /* pay the actual cost up to the limit */
    int64_t actual_cost_fen;     /* counted: its share for the units paid when a cap cut them */
    int64_t computed_fen;        /* the sum the formula gives, before eligibility */
    const char *rounding;        /* "half_up_fen" when a percentage was applied, else "none" */
    int32_t advance_pct;
    int64_t advance_fen; /* amount x advance_pct / 100, half up */
    int32_t quota_used;  /* live training subsidies of the person in the event year, before this */
    /* The limits the database must hold for this claim once it is live (set once a row of the
     * policy is chosen): a place in the person's yearly quota of per_year, the "same occupation
     * and level once" rule, and "once a year" for this kind. */
    int32_t event_year;
    bool counts_quota;
    int32_t per_year;
    bool unique_occupation_level;
    /* what that rule compares, as the database keeps it: "6-18-02-04/level4" for an
     * occupational row, "veteran_training" or "seafarer/basic_safety" where the row's
     * same_key says so; "" when the rule does not apply */
    char same_key[SR_SAME_KEY_LEN];
    bool once_per_year;
    /* The catalog entry the chosen row reads: the claim's occupation at this level; NONE when
     * the row reads no occupation entry.  catalog_year_only: the row reads the year-wide figure
     * of the catalog version (no occupation, no level) instead. */
    enum sr_level catalog_level;
    bool catalog_year_only;
};

struct sr_result {
    bool eligible;
    int64_t amount_fen; /* 0 when not eligible; see trace.computed_fen for the sum */
    size_t problem_count;
    bool problems_truncated; /* more than SR_MAX_PROBLEMS were found */
    struct sr_problem problems[SR_MAX_PROBLEMS];
    struct sr_trace trace;
    char allowed[SR_ALLOWED_LEN]; /* see sr_problem.has_allowed */
};

struct sr_policy_set;
struct sr_policy;

/* Loads every `*.policy` file of `dir` (in name order) and checks them: unknown keys, missing
 * keys and sections, bad values, and overlapping effective dates of two policies for the same
 * region are errors. On success returns 0 and stores a new set in *out, which the caller frees
 * with sr_policy_set_free. On failure returns -1 and writes every error found, one per line as
 * `file:line: message`, into err (truncated to errlen). */
int sr_policy_set_load_dir(const char *dir, struct sr_policy_set **out, char *err, size_t errlen);

/* The same for an explicit list of files. */
int sr_policy_set_load_files(const char *const *paths, size_t count, struct sr_policy_set **out,
                             char *err, size_t errlen);

void sr_policy_set_free(struct sr_policy_set *set);

size_t sr_policy_set_count(const struct sr_policy_set *set);
/* The i-th policy (in load order), borrowed from the set; NULL when out of range. */
const struct sr_policy *sr_policy_set_at(const struct sr_policy_set *set, size_t i);
/* The highest version of policy `id`, or NULL. */
const struct sr_policy *sr_policy_set_find(const struct sr_policy_set *set, const char *id);
/* The policy in force for `region` (any GB/T 2260 code inside the policy's area) on `day`,
 * back-reach included; NULL when none. */
const struct sr_policy *sr_policy_set_find_for(const struct sr_policy_set *set, int32_t region,
                                               int32_t day);
/* Some policy for `region` on any date; NULL when the region has none. */
const struct sr_policy *sr_policy_set_find_for_region(const struct sr_policy_set *set,
                                                      int32_t region);

const char *sr_policy_id(const struct sr_policy *policy);
int sr_policy_version(const struct sr_policy *policy);
const char *sr_policy_title(const struct sr_policy *policy);
const char *sr_policy_source(const struct sr_policy *policy);
int32_t sr_policy_region(const struct sr_policy *policy);
int32_t sr_policy_effective_from(const struct sr_policy *policy);
int32_t sr_policy_effective_to(const struct sr_policy *policy);
/* The section of the policy's [commitment] block (告知承诺制: claims accepted on the applicant's
 * commitment, a sample checked), borrowed; NULL when the policy offers none. */
const char *sr_policy_commitment(const struct sr_policy *policy);
/* True when the policy has a row for `kind`. */
bool sr_policy_has_kind(const struct sr_policy *policy, enum sr_kind kind);
/* The recorded readings of ambiguous text ("reading =" lines), borrowed. */
size_t sr_policy_reading_count(const struct sr_policy *policy);
const char *sr_policy_reading(const struct sr_policy *policy, size_t i);

/* Judges one claim against one policy (not NULL); fills *out completely (every unmet condition,
 * amount, trace). Pure: the same input gives the same bytes in *out. Never allocates. */
void sr_evaluate(const struct sr_policy *policy, const struct sr_input *in, struct sr_result *out);

/* Adds a problem only the caller can know of (an occupation missing from the reference list it
 * holds) to a result of sr_evaluate: under the whole document's section, the result no longer
 * eligible and its amount 0.  A problem already there (same code and field) is not repeated. */
void sr_result_add_problem(struct sr_result *out, enum sr_problem_code code, const char *field);

/* Writes a one-line, human-readable account of the sum, e.g.
 * "min(standard 1200.00 + 30% 360.00 = 1560.00, actual 1500.00) = 1500.00"; returns the length
 * snprintf would have written. */
int sr_result_explain(const struct sr_result *result, char *buf, size_t len);

/* Writes the i-th duration cap of the trace as a step an approver reads, in Chinese or English,
 * e.g. "36 of 40 months paid: 三(十三) sets this maximum"; returns what snprintf returns. */
int sr_unit_cap_text(const struct sr_trace *trace, int i, bool chinese, char *buf, size_t len);

/* Formats fen as yuan with two decimals ("-12.05"); out needs 24 bytes. */
void sr_money_format(int64_t fen, char out[24]);

/* Rounds value * pct / 100 half up to the fen (value >= 0, 0 <= pct <= 1000). */
int64_t sr_percent_of(int64_t value, int32_t pct);

/* Stable codes of the enums, e.g. "certificate_training", "level4"; NULL when out of range. */
const char *sr_kind_name(enum sr_kind kind);
const char *sr_cert_kind_name(enum sr_cert_kind kind);
const char *sr_variant_name(enum sr_variant variant);
const char *sr_issuer_name(enum sr_issuer issuer);
const char *sr_group_name(enum sr_group group);

bool sr_kind_parse(const char *text, enum sr_kind *out);
bool sr_cert_kind_parse(const char *text, enum sr_cert_kind *out);
bool sr_variant_parse(const char *text, enum sr_variant *out);
bool sr_issuer_parse(const char *text, enum sr_issuer *out);
bool sr_group_parse(const char *text, enum sr_group *out);

/* The accepted names of each enumeration, "a, b, c" (without "none"), for messages that say
 * what is allowed; cut to len. */
void sr_kind_list(char *buf, size_t len);
void sr_cert_kind_list(char *buf, size_t len);
void sr_variant_list(char *buf, size_t len);
void sr_issuer_list(char *buf, size_t len);
void sr_group_list(char *buf, size_t len);

/* True when `region` lies inside `area` (prefix match on the GB/T 2260 code: 330900 covers
 * every 3309xx, 331081 only itself). */
bool sr_region_within(int32_t region, int32_t area);

#endif
