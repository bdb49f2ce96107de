/* The keys of a policy file's sections other than rules (src/rules/README.md, "Policy file
 * format"): for each, whether it is required, how its value is read and where it is kept. */
#include "load.h"

#define POL(m) KEY_AT(struct sr_policy, m)
#define UPL(m) KEY_AT(struct sr_uplift, m)
#define TABLE(keys)                                                                                \
    {                                                                                              \
        keys, COUNT(keys)                                                                          \
    }

/* where the policy's dates are reported when they conflict with another file's */
static void effective_from(struct parser *p, const char *v)
{
    sr_load_date(p, v, &p->policy->from);
    p->policy->line = p->line;
}

static const struct key_spec policy[] = {
    {"id", true, K_TEXT, POL(id)},
    {"version", true, K_INT, POL(version), .lo = 1, .hi = 1000000},
    {"title", true, K_TEXT, POL(title)},
    {"source", true, K_TEXT, POL(source)},
    {"city", true, K_INT, POL(region), .lo = 100000, .hi = 999999},
    {"issued", false, K_DATE, POL(issued)},
    {"effective_from", true, K_CUSTOM, .custom = effective_from},
    {"effective_to", true, K_DATE, POL(to)},
    {"back_reach_from", false, K_DATE, POL(back_from)},
    {"back_reach_to", false, K_DATE, POL(back_to)},
    {"section", true, K_TEXT, POL(dates_section)},
    KEY_READING,
};
const struct key_table sr_policy_keys = TABLE(policy);

static const struct key_spec residency[] = {
    {"section", true, K_TEXT, POL(residency_section)},
    {"bases", true, K_SET, POL(residency_bases), .parse = sr_load_basis, .what = "residency basis"},
    KEY_READING,
};
const struct key_table sr_residency_keys = TABLE(residency);

static const struct key_word once_or_unlimited[] = {{"once", true}, {"unlimited", false}, {NULL}};
static const struct key_spec limits[] = {
    {"section", true, K_TEXT, POL(limits_section)},
    {"per_year", true, K_INT, POL(per_year), .lo = 1, .hi = 100},
    {"same_occupation_level", true, K_WORD, POL(once_per_occupation_level),
     .words = once_or_unlimited, .message = "same_occupation_level must be once or unlimited"},
    KEY_READING,
};
const struct key_table sr_limits_keys = TABLE(limits);

static const struct key_word past_retirement[] = {
    {"covered_without_pension", true}, {"not_covered", false}, {NULL}};
static const struct key_spec retirement[] = {
    {"section", true, K_TEXT, POL(retirement_section)},
    {"past_retirement", true, K_WORD, POL(retired_no_pension_covered), .words = past_retirement,
     .message = "past_retirement must be covered_without_pension or not_covered"},
    KEY_READING,
};
const struct key_table sr_retirement_keys = TABLE(retirement);

static const struct key_spec relatives[] = {
    {"section", true, K_TEXT, POL(relatives_section)},
    {"relative_of_disabled", false, K_GROUP_BITS, POL(relative_of_disabled_as)},
    {"relative_of_poor", false, K_GROUP_BITS, POL(relative_of_poor_as)},
    KEY_READING,
};
const struct key_table sr_relatives_keys = TABLE(relatives);

static const struct key_spec graduates[] = {
    {"section", true, K_TEXT, POL(graduates_section)},
    {"skill_kinds", true, K_SET, POL(graduate_skill_kinds), .parse = sr_load_kind, .what = "kind"},
    {"entrepreneurship_kinds", true, K_SET, POL(graduate_entrepreneurship_kinds),
     .parse = sr_load_kind, .what = "kind"},
    KEY_READING,
};
const struct key_table sr_graduates_keys = TABLE(graduates);

/* 告知承诺制: the policy accepts a claim on the applicant's commitment (a sample checked) */
static const struct key_spec commitment[] = {
    {"section", true, K_TEXT, POL(commitment_section)},
    KEY_READING,
};
const struct key_table sr_commitment_keys = TABLE(commitment);

static const struct key_word trade_friction[] = {{"employer_trade_friction", 0}, {NULL}};
static const struct key_word shortage[] = {{"shortage", true}, {NULL}};
static const struct key_spec uplift[] = {
    {"section", true, K_TEXT, UPL(section)},
    {"percent", true, K_INT, UPL(percent), .lo = 1, .hi = 100},
    {"until", false, K_DATE, UPL(until)},
    {"applies_to", true, K_SET, UPL(kind_mask), .parse = sr_load_kind, .what = "kind"},
    /* the one condition there is: nothing to keep */
    {"requires", true, K_WORD, .words = trade_friction,
     .message = "requires must be employer_trade_friction"},
    {"not_with", false, K_WORD, UPL(not_with_shortage), .words = shortage,
     .message = "not_with must be shortage"},
    KEY_READING,
};
const struct key_table sr_uplift_keys = TABLE(uplift);
