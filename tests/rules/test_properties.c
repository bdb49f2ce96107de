/* Properties over generated inputs: for every policy and random claims (valid, odd and absurd
 * values alike) the amount is never negative, never above the applicable cap, never above the
 * actual cost where the actual cost is paid, zero unless eligible, and the same input always
 * gives the same bytes. The generator is seeded, so a failure is reproducible. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_file.h"
#include "sr_rules.h"

#define ROUNDS 40000

static struct sr_policy_set *policies;
static struct case_list cases;

static uint64_t next(uint64_t *s)
{
    /* xorshift64* */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

static int64_t pick(uint64_t *s, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(next(s) % (uint64_t)(hi - lo + 1));
}

static const int32_t regions[] = {330902, 330203, 330402, 331081, 320902,
                                  320981, 331002, 0,      110105, 330900};
static const char *const ids[] = {"330902199001011238",
                                  "330402198503150025",
                                  "32090219800505006X",
                                  "330902199001011239",
                                  "",
                                  "x"};
static const char *const codes[] = {"91330900MA28K0001W", "52330900MJ0000006R", "",
                                    "52330900MJ0000006S"};
static const char *const occupations[] = {"6-18-02-04", "6-18-02-05", "", "SYB"};

static int32_t random_day(uint64_t *s)
{
    if (pick(s, 0, 20) == 0)
        return SR_NO_DATE;
    if (pick(s, 0, 50) == 0)
        return (int32_t)next(s); /* any day number at all, even absurd ones */
    return sr_day_from_ymd((int)pick(s, 2018, 2026), (int)pick(s, 1, 12), (int)pick(s, 1, 28));
}

static void generate(uint64_t *s, struct sr_person *p, struct sr_employer *e,
                     struct sr_catalog_entry *cat, struct sr_claim *c, struct sr_history_entry *h,
                     size_t *hn, int32_t *today)
{
    memset(p, 0, sizeof *p);
    memset(e, 0, sizeof *e);
    memset(cat, 0, sizeof *cat);
    memset(c, 0, sizeof *c);
    snprintf(p->id_number, sizeof p->id_number, "%s", ids[pick(s, 0, 5)]);
    p->hukou_region = regions[pick(s, 0, 9)];
    p->residence_region = regions[pick(s, 0, 9)];
    p->employment_region = regions[pick(s, 0, 9)];
    p->unemployment_region = regions[pick(s, 0, 9)];
    p->training_region = regions[pick(s, 0, 9)];
    p->groups = (uint32_t)next(s) & ((1u << SR_GROUP_BITS) - 1) & (uint32_t)next(s);
    p->past_retirement_age = pick(s, 0, 8) == 0;
    snprintf(e->credit_code, sizeof e->credit_code, "%s", codes[pick(s, 0, 3)]);
    e->trade_friction_listed = pick(s, 0, 2) == 0;
    e->trade_friction_from = random_day(s);
    e->trade_friction_to = pick(s, 0, 1) ? SR_NO_DATE : random_day(s);
    e->ui_months = (int32_t)pick(s, -2, 40);
    e->hire_date = random_day(s);
    c->kind = (enum sr_kind)pick(s, 0, SR_KIND_COUNT - 1);
    c->variant = (enum sr_variant)pick(s, 0, SR_VARIANT_COUNT - 1);
    snprintf(c->occupation, sizeof c->occupation, "%s", occupations[pick(s, 0, 3)]);
    c->level = (enum sr_level)pick(s, 0, SR_LEVEL_COUNT - 1);
    c->certificate.kind = (enum sr_cert_kind)pick(s, 0, SR_CERT_COUNT - 1);
    snprintf(c->certificate.number, sizeof c->certificate.number, "%s",
             pick(s, 0, 5) ? "N0001" : "");
    c->certificate.issue_date = random_day(s);
    c->certificate.issuer = (enum sr_issuer)pick(s, 0, SR_ISSUER_COUNT - 1);
    c->renewal = pick(s, 0, 3) == 0;
    c->training_start = random_day(s);
    c->training_end = pick(s, 0, 3) ? c->training_start + (int32_t)pick(s, -5, 120) : random_day(s);
    c->class_hours = (int32_t)pick(s, -10, 200);
    c->training_days = (int32_t)pick(s, -3, 90);
    c->months = (int32_t)pick(s, -2, 50);
    c->semesters = (int32_t)pick(s, -1, 10);
    c->years = (int32_t)pick(s, -1, 4);
    c->actual_cost_fen =
        pick(s, 0, 9) == 0 ? pick(s, -100000, SR_MONEY_MAX * 2) : pick(s, 0, 6000000);
    c->enterprise_fee_fen = pick(s, 0, 9) == 0 ? -1 : pick(s, 0, 4000000);
    c->out_of_province = pick(s, 0, 1);
    c->advance_pct = pick(s, 0, 3) ? 0 : (int32_t)pick(s, -10, 120);
    c->payee = (enum sr_payee)pick(s, 0, SR_PAYEE_COUNT - 1);
    snprintf(cat->occupation, sizeof cat->occupation, "%s", c->occupation);
    cat->level = pick(s, 0, 3) ? c->level : (enum sr_level)pick(s, 0, SR_LEVEL_COUNT - 1);
    cat->year = (int)pick(s, 2018, 2026);
    cat->standard_fen = pick(s, 0, 9) == 0 ? pick(s, -10, SR_MONEY_MAX * 2) : pick(s, 0, 1500000);
    cat->shortage = pick(s, 0, 1);
    *hn = (size_t)pick(s, 0, 6);
    for (size_t i = 0; i < *hn; i++) {
        memset(&h[i], 0, sizeof h[i]);
        h[i].year = (int)pick(s, 2018, 2026);
        snprintf(h[i].occupation, sizeof h[i].occupation, "%s", occupations[pick(s, 0, 3)]);
        h[i].level = (enum sr_level)pick(s, 0, SR_LEVEL_COUNT - 1);
        h[i].kind = (enum sr_kind)pick(s, 0, SR_KIND_COUNT - 1);
        h[i].state = (enum sr_claim_state)pick(s, 0, SR_CLAIM_STATE_COUNT - 1);
        h[i].renewal = pick(s, 0, 5) == 0;
    }
    *today = random_day(s);
}

START_TEST(test_amount_properties)
{
    uint64_t seed = 0x9E3779B97F4A7C15ULL + (uint64_t)_i;
    size_t eligible = 0;
    for (int round = 0; round < ROUNDS; round++) {
        struct sr_person p;
        struct sr_employer e;
        struct sr_catalog_entry cat;
        struct sr_claim c;
        struct sr_history_entry h[8];
        size_t hn;
        int32_t today;
        generate(&seed, &p, &e, &cat, &c, h, &hn, &today);
        struct sr_input in = {
            .catalog = pick(&seed, 0, 6) ? &cat : NULL,
            .person = pick(&seed, 0, 12) ? &p : NULL,
            .employer = pick(&seed, 0, 3) ? &e : NULL,
            .claim = &c,
            .history = h,
            .history_len = hn,
            .today = today,
        };
        const struct sr_policy *pol = sr_policy_set_at(policies, (size_t)pick(&seed, 0, 4));
        static struct sr_result r, again;
        sr_evaluate(pol, &in, &r);
        sr_evaluate(pol, &in, &again);
        ck_assert_msg(memcmp(&r, &again, sizeof r) == 0, "round %d: not deterministic", round);
        const struct sr_trace *t = &r.trace;
        ck_assert_msg(r.amount_fen >= 0, "round %d: negative amount", round);
        ck_assert(t->computed_fen >= 0);
        ck_assert_msg(r.eligible == (r.problem_count == 0), "round %d", round);
        ck_assert(r.problem_count <= SR_MAX_PROBLEMS);
        if (!r.eligible) {
            ck_assert_int_eq(r.amount_fen, 0);
            ck_assert_int_eq(t->advance_fen, 0);
        } else {
            eligible++;
            ck_assert_int_eq(r.amount_fen, t->computed_fen);
            ck_assert_msg(r.amount_fen <= t->limit_fen, "round %d: %lld above limit %lld", round,
                          (long long)r.amount_fen, (long long)t->limit_fen);
            if (t->cap_fen > 0)
                ck_assert(r.amount_fen <= t->cap_fen);
            if (t->by_actual)
                ck_assert(r.amount_fen <= c.actual_cost_fen);
            ck_assert(r.amount_fen <= t->standard_fen + t->uplift_fen);
            ck_assert(t->advance_fen <= r.amount_fen);
            ck_assert(t->policy_id && t->rule_id && t->formula && t->rule_section);
        }
        for (size_t i = 0; i < r.problem_count; i++)
            ck_assert(r.problems[i].code_name && r.problems[i].field && r.problems[i].section &&
                      r.problems[i].message_zh && r.problems[i].message_en);
        char buf[256];
        ck_assert(sr_result_explain(&r, buf, sizeof buf) > 0);
    }
    /* the generator must reach eligible claims too, or the properties say little */
    ck_assert_msg(eligible > 0, "no eligible claim generated");
}
END_TEST

static void check_paid(const struct sr_result *r, const struct sr_claim *c, int round)
{
    const struct sr_trace *t = &r->trace;
    ck_assert(r->amount_fen >= 0);
    if (!r->eligible) {
        ck_assert_int_eq(r->amount_fen, 0);
        return;
    }
    ck_assert_msg(r->amount_fen <= t->limit_fen, "round %d: %lld above limit %lld", round,
                  (long long)r->amount_fen, (long long)t->limit_fen);
    if (t->cap_fen > 0)
        ck_assert(r->amount_fen <= t->cap_fen);
    if (t->by_actual)
        ck_assert(r->amount_fen <= c->actual_cost_fen);
    ck_assert(r->amount_fen <= t->standard_fen + t->uplift_fen);
    ck_assert(t->advance_fen <= r->amount_fen);
}

/* Mostly valid claims: the table cases with their figures changed at random. */
START_TEST(test_mutated_cases)
{
    uint64_t seed = 7;
    size_t eligible = 0;
    for (int round = 0; round < ROUNDS; round++) {
        struct rule_case rc = cases.items[pick(&seed, 0, (int64_t)cases.count - 1)];
        struct sr_claim *c = &rc.claim;
        switch (pick(&seed, 0, 9)) {
        case 0:
            c->actual_cost_fen = pick(&seed, 0, 10000000);
            break;
        case 1:
            c->class_hours = (int32_t)pick(&seed, 0, 400);
            break;
        case 2:
            c->training_days = (int32_t)pick(&seed, 0, 400);
            rc.catalog.standard_fen = pick(&seed, 0, 200000);
            break;
        case 3:
            c->months = (int32_t)pick(&seed, 0, 60);
            break;
        case 4:
            c->semesters = (int32_t)pick(&seed, 0, 8);
            c->years = (int32_t)pick(&seed, 0, 3);
            break;
        case 5:
            c->enterprise_fee_fen = pick(&seed, 0, 10000000);
            break;
        case 6:
            rc.catalog.standard_fen = pick(&seed, 1, 2000000);
            break;
        case 7:
            c->advance_pct = (int32_t)pick(&seed, 0, 60);
            break;
        case 8:
            rc.employer.trade_friction_listed = !rc.employer.trade_friction_listed;
            break;
        default:
            break;
        }
        struct sr_input in;
        case_input(&rc, &in);
        const struct sr_policy *pol = sr_policy_set_find(policies, rc.policy_id);
        static struct sr_result r, again;
        sr_evaluate(pol, &in, &r);
        sr_evaluate(pol, &in, &again);
        ck_assert(memcmp(&r, &again, sizeof r) == 0);
        check_paid(&r, c, round);
        eligible += r.eligible;
    }
    ck_assert_msg(eligible > ROUNDS / 4, "only %zu eligible", eligible);
}
END_TEST

/* Raising the actual cost never lowers the amount, and a claim stays eligible. */
START_TEST(test_monotone_in_cost)
{
    uint64_t seed = 42;
    for (int round = 0; round < ROUNDS / 4; round++) {
        struct rule_case rc = cases.items[pick(&seed, 0, (int64_t)cases.count - 1)];
        struct sr_input in;
        case_input(&rc, &in);
        const struct sr_policy *pol = sr_policy_set_find(policies, rc.policy_id);
        static struct sr_result a, b;
        sr_evaluate(pol, &in, &a);
        rc.claim.actual_cost_fen += pick(&seed, 1, 500000);
        sr_evaluate(pol, &in, &b);
        if (a.eligible) {
            ck_assert_msg(b.eligible, "round %d: more cost made it ineligible", round);
            ck_assert_msg(b.amount_fen >= a.amount_fen, "round %d: more cost, less paid", round);
        }
    }
}
END_TEST

int main(void)
{
    const char *dir = getenv("SR_POLICY_DIR");
    char err[4096];
    if (!dir) {
        fprintf(stderr, "SR_POLICY_DIR must be set\n");
        return 77;
    }
    if (sr_policy_set_load_dir(dir, &policies, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    const char *case_dir = getenv("SR_CASE_DIR");
    if (!case_dir || case_list_load(case_dir, &cases, err, sizeof err) != 0) {
        fprintf(stderr, "cases: %s\n", case_dir ? err : "SR_CASE_DIR must be set");
        return case_dir ? 1 : 77;
    }
    Suite *s = suite_create("rules-properties");
    TCase *tc = tcase_create("properties");
    tcase_set_timeout(tc, 100);
    tcase_add_loop_test(tc, test_amount_properties, 0, 4);
    tcase_add_test(tc, test_monotone_in_cost);
    tcase_add_test(tc, test_mutated_cases);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    sr_policy_set_free(policies);
    case_list_free(&cases);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
