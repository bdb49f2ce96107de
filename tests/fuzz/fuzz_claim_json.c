/*
 * Fuzz target for the claim JSON adapter (src/rulesjson/claim_json.c) and what sits under it:
 * the field tables of src/util/jspec.c and the rule module's sr_evaluate.
 *
 * One input is one POST /v1/precheck body, handled as the daemon handles it: the raw depth scan
 * (json_depth_ok, 32 levels), json_loadb with JSON_REJECT_DUPLICATES, cj_parse, cj_policy, then
 * cj_input + sr_evaluate + cj_other_problems + cj_result + json_dumps — judged on whatever
 * parsed even when some field did not, as the daemon does for its one complete answer.  Besides the
 * sanitizers, the target checks what must hold for every input and abort()s when it does not:
 *
 *   - the parse gives the same number of problems in Chinese and in English;
 *   - no problem is lost: a parse without problems has no unknown key at any level and has a
 *     claim object, and the problem list, once created, is not empty;
 *   - amount_fen >= 0; amount 0 (and advance 0) unless eligible; eligible iff no problem;
 *     problem_count <= SR_MAX_PROBLEMS; an eligible amount equals the computed sum and stays
 *     within the limit; every problem and an eligible trace name their strings;
 *   - cj_result and json_dumps never fail, and evaluating twice (into results pre-filled with
 *     different garbage) gives identical json_dumps output;
 *   - like the daemon, the request is freed before cj_result, so a result pointing into the
 *     request is a use after free under ASan.
 *
 * The policy set is loaded once, from $SD_POLICY_DIR or else the directory compiled in with
 * -DSD_POLICY_DIR="...".  Built as a libFuzzer target (clang -fsanitize=fuzzer) or linked with
 * replay.c, which runs a corpus through it in the test suite.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "claim_json.h"
#include "jspec.h"
#include "sr_ids.h"
#include "sr_rules.h"

#ifndef SD_POLICY_DIR
#define SD_POLICY_DIR "src/rules/policies"
#endif

#define FUZZ_MAX_DEPTH 32 /* the daemon's default max_json_depth */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_claim_json: invariant failed at %s:%d: %s\n", __FILE__,          \
                    __LINE__, #cond);                                                              \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static const struct sr_policy_set *policies(void)
{
    static struct sr_policy_set *set;
    if (set)
        return set;
    json_object_seed(1); /* the same hash order, hence the same output, on every run */
    const char *dir = getenv("SD_POLICY_DIR");
    if (!dir || !*dir)
        dir = SD_POLICY_DIR;
    static char err[8192];
    if (sr_policy_set_load_dir(dir, &set, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_claim_json: cannot load the policies of %s:\n%s\n", dir, err);
        abort();
    }
    return set;
}

/* The keys cj_parse knows, per object of the request (NULL-terminated lists). */
static const char *const top_keys[] = {"policy",   "region", "today",   "catalog", "person",
                                       "employer", "claim",  "history", NULL};
static const char *const catalog_keys[] = {"occupation",   "level",    "year",
                                           "standard_fen", "shortage", NULL};
static const char *const person_keys[] = {"id_number",
                                          "hukou_region",
                                          "residence_region",
                                          "employment_region",
                                          "unemployment_region",
                                          "training_region",
                                          "groups",
                                          "past_retirement_age",
                                          NULL};
static const char *const employer_keys[] = {"credit_code",
                                            "trade_friction_listed",
                                            "trade_friction_from",
                                            "trade_friction_to",
                                            "ui_months",
                                            "hire_date",
                                            NULL};
static const char *const claim_keys[] = {"kind",
                                         "variant",
                                         "occupation",
                                         "level",
                                         "certificate",
                                         "renewal",
                                         "training_start",
                                         "training_end",
                                         "class_hours",
                                         "training_days",
                                         "months",
                                         "semesters",
                                         "years",
                                         "actual_cost_fen",
                                         "enterprise_fee_fen",
                                         "out_of_province",
                                         "advance_pct",
                                         "payee",
                                         "commitment",
                                         NULL};
static const char *const certificate_keys[] = {"kind", "number", "issue_date", "issuer", NULL};
static const char *const history_keys[] = {"year",  "occupation", "level", "kind",
                                           "state", "renewal",    NULL};

/* Every key of obj (when it is an object) is one of keys. */
static bool keys_known(const json_t *obj, const char *const *keys)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        const char *const *k = keys;
        while (*k && strcmp(*k, key) != 0)
            k++;
        if (!*k)
            return false;
    }
    return true;
}

/* A request cj_parse accepted names no unknown field anywhere. */
static void check_accepted(const json_t *obj)
{
    CHECK(keys_known(obj, top_keys));
    CHECK(keys_known(json_object_get(obj, "catalog"), catalog_keys));
    CHECK(keys_known(json_object_get(obj, "person"), person_keys));
    CHECK(keys_known(json_object_get(obj, "employer"), employer_keys));
    const json_t *claim = json_object_get(obj, "claim");
    CHECK(json_is_object(claim));
    CHECK(keys_known(claim, claim_keys));
    CHECK(keys_known(json_object_get(claim, "certificate"), certificate_keys));
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(obj, "history"), i, h)
    {
        CHECK(keys_known(h, history_keys));
    }
}

static void check_result(const struct sr_result *r)
{
    const struct sr_trace *t = &r->trace;
    CHECK(r->problem_count <= SR_MAX_PROBLEMS);
    CHECK(!r->problems_truncated || r->problem_count == SR_MAX_PROBLEMS);
    CHECK(r->amount_fen >= 0);
    CHECK(r->eligible == (r->problem_count == 0));
    if (!r->eligible) {
        CHECK(r->amount_fen == 0);
        CHECK(t->advance_fen == 0);
    } else {
        CHECK(r->amount_fen == t->computed_fen);
        CHECK(r->amount_fen <= t->limit_fen);
        CHECK(t->advance_fen >= 0 && t->advance_fen <= r->amount_fen);
        CHECK(t->policy_id && t->rule_id && t->formula && t->rule_section);
    }
    for (size_t i = 0; i < r->problem_count; i++) {
        const struct sr_problem *p = &r->problems[i];
        CHECK(p->code_name && p->message_zh && p->message_en);
    }
}

/* Evaluate into a result pre-filled with fill (garbage in the output must not show). */
static struct sr_result *evaluate(const struct sr_policy *policy, const struct sr_input *in,
                                  int fill)
{
    struct sr_result *r = malloc(sizeof *r);
    CHECK(r != NULL);
    memset(r, fill, sizeof *r);
    sr_evaluate(policy, in, r);
    check_result(r);
    return r;
}

/* The result as the reply's JSON text (caller frees); frees r. */
static char *dump(struct sr_result *r)
{
    json_t *j = cj_result(r);
    CHECK(j != NULL);
    CHECK(json_is_boolean(json_object_get(j, "eligible")));
    CHECK(json_integer_value(json_object_get(j, "amount_fen")) == r->amount_fen);
    CHECK(json_array_size(json_object_get(j, "problems")) == r->problem_count);
    char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    CHECK(text != NULL);
    json_decref(j);
    free(r);
    return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct sr_policy_set *set = policies();
    static int32_t today;
    if (!today)
        today = sr_day_from_ymd(2020, 12, 31);

    if (!json_depth_ok((const char *)data, size, FUZZ_MAX_DEPTH))
        return 0;
    json_error_t jerr;
    json_t *obj = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
    if (!obj)
        return 0;
    if (!json_is_object(obj)) {
        json_decref(obj);
        return 0;
    }

    struct cj_request *req = malloc(sizeof *req);
    CHECK(req != NULL);

    /* The English parse first, only to compare the number of problems. */
    struct jerrors en = {.lang_en = true};
    bool ok_en = cj_parse(&en, obj, today, req);
    size_t count_en = jerr_count(&en);
    jerr_clear(&en);

    struct jerrors errors = {.lang_en = false};
    bool ok = cj_parse(&errors, obj, today, req);
    CHECK(ok == ok_en);
    CHECK(jerr_count(&errors) == count_en);
    CHECK(ok == (jerr_count(&errors) == 0));
    /* jerr_add creates the list with its first problem: an empty list means one was lost */
    CHECK(errors.list == NULL || jerr_count(&errors) > 0);
    if (ok) {
        check_accepted(obj);
        CHECK(req->history_len <= CJ_MAX_HISTORY);
    }

    /* as the daemon does (cj_judge), the policy is chosen and whatever parsed is judged even
     * after field problems, for one complete answer; no policy always comes with a problem */
    const struct sr_policy *policy = cj_policy(set, req, &errors);
    if (!policy)
        CHECK(jerr_count(&errors) > 0);
    if (policy) {
        struct sr_input in;
        cj_input(req, &in);
        struct sr_result *r1 = evaluate(policy, &in, 0x00);
        struct sr_result *r2 = evaluate(policy, &in, 0xA5);
        json_t *others = cj_other_problems(&errors, r1);
        CHECK(json_is_array(others) && json_array_size(others) <= r1->problem_count);
        json_decref(others);
        /* the daemon frees the request before writing the reply: the result must not point
         * into it (ASan reports a use after free if it does) */
        free(req);
        req = NULL;
        char *first = dump(r1);
        char *second = dump(r2);
        if (strcmp(first, second) != 0) {
            fprintf(stderr, "fuzz_claim_json: two evaluations differ:\n%s\n%s\n", first, second);
            abort();
        }
        free(first);
        free(second);
    } else if (errors.list) {
        /* what the daemon would send back: the problems as a JSON reply */
        json_t *reply = json_pack("{s:O}", "errors", errors.list);
        CHECK(reply != NULL);
        char *text = json_dumps(reply, JSON_COMPACT);
        CHECK(text != NULL);
        free(text);
        json_decref(reply);
    }

    jerr_clear(&errors);
    free(req);
    json_decref(obj);
    return 0;
}
