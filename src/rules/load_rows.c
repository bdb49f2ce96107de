/* The keys of a policy's [rule NAME] sections, its rows (src/rules/README.md, "Policy file
 * format"), and the checks of a row once its section ends. */
#include "load.h"

#define RULE(m) KEY_AT(struct sr_rule, m)

static void groups(struct parser *p, const char *v)
{
    sr_load_group_terms(p, v, p->rule);
}

static const struct key_word in_or_out[] = {{"in", 0}, {"out", 1}, {NULL}};
static const struct key_word same_keys[] = {{"occupation_level", SR_SAME_OCCUPATION_LEVEL},
                                            {"kind", SR_SAME_KIND},
                                            {"kind_variant", SR_SAME_KIND_VARIANT},
                                            {"none", SR_SAME_NONE},
                                            {NULL}};
static const struct key_word catalog_matches[] = {
    {"occupation_level", SR_CATALOG_OCCUPATION_LEVEL}, {"year_only", SR_CATALOG_YEAR_ONLY}, {NULL}};

/* In the order of the messages about missing required keys. */
static const struct key_spec rule[] = {
    {"kind", true, K_ENUM, RULE(kind), .parse = sr_load_kind, .what = "kind"},
    {"section", true, K_TEXT, RULE(section)},
    {"level", false, K_SET, RULE(level_mask), .parse = sr_load_level, .what = "level"},
    {"variant", false, K_SET, RULE(variant_mask), .parse = sr_load_variant, .what = "variant"},
    {"renewal", false, K_BOOL, RULE(renewal)},
    {"province", false, K_WORD, RULE(province), .words = in_or_out,
     .message = "province must be in or out"},
    {"certificate", false, K_SET, RULE(cert_mask), .parse = sr_load_cert,
     .what = "certificate kind"},
    {"shortage", false, K_REQUIRED, RULE(shortage_required)},
    {"employer", false, K_REQUIRED, RULE(employer_required)},
    {"person", false, K_REQUIRED, RULE(person_required)},
    {"working_age", false, K_REQUIRED, RULE(working_age_required)},
    {"payee", true, K_SET, RULE(payee_mask), .parse = sr_load_payee, .what = "payee"},
    {"groups", false, K_CUSTOM, .custom = groups},
    {"min_hours", false, K_INT, RULE(min_hours), .lo = 1, .hi = 10000},
    {"min_duration_months", false, K_INT, RULE(min_duration_months), .lo = 1, .hi = 120},
    {"max_duration_months", false, K_INT, RULE(max_duration_months), .lo = 1, .hi = 120},
    {"hire_window_months", false, K_INT, RULE(hire_window_months), .lo = 1, .hi = 120},
    {"min_ui_months", false, K_INT, RULE(min_ui_months), .lo = 1, .hi = 600},
    {"issuer", false, K_ENUM, RULE(min_issuer), .parse = sr_load_issuer, .what = "issuer level"},
    {"certificate_from", false, K_DATE, RULE(certificate_from)},
    {"once_ever", false, K_BOOL, RULE(once_ever)},
    {"same_key", false, K_WORD, RULE(same_key), .words = same_keys,
     .message = "same_key must be occupation_level, kind, kind_variant or none"},
    {"once_per_year", false, K_BOOL, RULE(once_per_year)},
    {"quota", true, K_BOOL, RULE(quota)},
    {"max_units", false, K_INT, RULE(max_units), .lo = 1, .hi = 1000},
    {"claim_window_years", false, K_INT, RULE(claim_window_years), .lo = 1, .hi = 50},
    {"catalog", false, K_WORD, RULE(catalog_match), .words = catalog_matches,
     .message = "catalog must be occupation_level or year_only"},
    {"catalog_level", false, K_ENUM, RULE(catalog_level), .parse = sr_load_level_some,
     .what = "level"},
    {"catalog_min", false, K_MONEY, RULE(catalog_min_fen)},
    {"catalog_max", false, K_MONEY, RULE(catalog_max_fen)},
    {"advance_max", false, K_INT, RULE(advance_max_pct), .lo = 1, .hi = 100},
    {"advance_payees", false, K_SET, RULE(advance_payee_mask), .parse = sr_load_payee,
     .what = "payee"},
    {"date_basis", true, K_NAME, RULE(date_basis), .names = sr_basis_names, .count = SR_BASIS_COUNT,
     .what = "date basis"},
    {"unit", false, K_NAME, RULE(unit), .names = sr_unit_names, .count = SR_UNIT_COUNT,
     .what = "unit"},
    {"rate", false, K_MONEY_OR_CATALOG, RULE(rate_fen),
     .flag = offsetof(struct sr_rule, rate_from_catalog)},
    {"cap", false, K_MONEY_OR_CATALOG, RULE(cap_fen),
     .flag = offsetof(struct sr_rule, cap_from_catalog)},
    {"by_actual", false, K_BOOL, RULE(by_actual)},
    {"fee_share", false, K_INT, RULE(fee_share_pct), .lo = 1, .hi = 100},
    {"uplift", false, K_INT, RULE(uplift_pct), .lo = 1, .hi = 100},
    KEY_READING,
};
const struct key_table sr_rule_keys = {rule, COUNT(rule)};

void sr_load_rule_end(struct parser *p)
{
    struct sr_rule *r = p->rule;
    bool has_rate = p->seen & (1ull << sr_load_key_index(&sr_rule_keys, "rate"));
    bool has_cap = p->seen & (1ull << sr_load_key_index(&sr_rule_keys, "cap"));
    if (!has_rate && !has_cap)
        sr_load_perr(p, "[rule %s] needs a rate or a cap", r->id);
    if (!has_rate && r->unit != SR_UNIT_CLAIM)
        sr_load_perr(p, "[rule %s] has a unit but no rate", r->id);
    if (r->fee_share_pct && !has_rate)
        sr_load_perr(p, "[rule %s] fee_share needs a rate (the floor)", r->id);
    if ((r->rate_from_catalog || r->cap_from_catalog || r->shortage_required || r->catalog_level) &&
        r->catalog_match == SR_CATALOG_NOT_USED)
        r->catalog_match = SR_CATALOG_OCCUPATION_LEVEL;
    if (r->catalog_match == SR_CATALOG_NOT_USED && (r->catalog_min_fen || r->catalog_max_fen))
        sr_load_perr(p, "[rule %s] catalog_min/max without a catalog figure", r->id);
    if (r->advance_max_pct && !r->advance_payee_mask)
        sr_load_perr(p, "[rule %s] advance_max needs advance_payees", r->id);
    if (r->date_basis == SR_BASIS_CERTIFICATE && !r->cert_mask)
        sr_load_perr(p, "[rule %s] date_basis certificate needs a certificate list", r->id);
    if (r->claim_window_years && !r->cert_mask)
        sr_load_perr(p, "[rule %s] claim_window_years counts from a certificate", r->id);
    if (r->max_units && r->unit == SR_UNIT_CLAIM)
        sr_load_perr(p, "[rule %s] max_units without a unit", r->id);
    r->formula = r->fee_share_pct              ? "fee_share"
                 : r->unit == SR_UNIT_HOUR     ? "per_hour"
                 : r->unit == SR_UNIT_DAY      ? "per_day"
                 : r->unit == SR_UNIT_MONTH    ? "per_month"
                 : r->unit == SR_UNIT_SEMESTER ? "per_semester"
                 : r->unit == SR_UNIT_YEAR     ? "per_year"
                 : r->by_actual                ? "actual_capped"
                 : r->rate_from_catalog        ? "catalog_standard"
                                               : "fixed";
}
