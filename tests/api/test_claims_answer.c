/* API tier: one complete answer (一次性告知) and the dry run (issue 10, items 1 and 2).
 *   - a body with five faults (field errors and rule problems) is answered in one reply, by
 *     POST /v1/claims, POST /v1/precheck and subsidyctl evaluate, and nothing is written;
 *   - an incomplete draft's submission lists every missing field, not the first rule that
 *     could not be chosen;
 *   - every field message says what is allowed, in Chinese and English; a JSON syntax error
 *     is explained in Chinese too;
 *   - POST /v1/claims with "dry_run": true answers exactly what the submission answers (201
 *     body, 409, 422), writes nothing and uses no key; /v1/precheck stays the offline
 *     calculator that knows nothing of the person's earlier claims. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], worker[64], enterprise[64];

#define WORKER_ID "330902199001011238"
#define ENT_ZS    "91330900MA28K1234U"
#define ZS_CLAIM_L(occupation, level, no)                                                          \
    "{\"kind\":\"certificate_training\",\"occupation\":\"" occupation "\",\"level\":\"" level      \
    "\",\"certificate\":{\"kind\":\"qualification\",\"number\":\"" no                              \
    "\",\"issue_date\":\"2020-06-30\"},\"actual_cost_fen\":160000}"

/* Is a rule problem of this code (and field, when not NULL) among the reply's problems? */
static const json_t *rule_problem(const struct th_reply *r, const char *code, const char *field)
{
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(r->json, "problems"), i, p)
    {
        const char *c = json_string_value(json_object_get(p, "code"));
        const char *f = json_string_value(json_object_get(p, "field"));
        if (c && strcmp(c, code) == 0 && (!field || (f && strcmp(f, field) == 0)))
            return p;
    }
    return NULL;
}

/* The message of the reply's field error on field, or "". */
static const char *field_message(const struct th_reply *r, const char *field)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(r->json, "errors"), i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "field")), field) == 0)
            return json_string_value(json_object_get(e, "message"));
    }
    return "";
}

static long code_of(const struct th_reply *r)
{
    return r->json ? (long)json_integer_value(json_object_get(r->json, "code")) : -1;
}

static long rows(const char *table)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    return th_count(&pg, sql);
}

/* What a dry run and the real write have in common: the reply less what only a write makes
 * (ids, times, the request id) and the dry-run mark. */
static char *comparable(const json_t *reply)
{
    json_t *j = json_deep_copy(reply);
    const char *drop[] = {"id",           "created_at", "updated_at",
                          "submitted_at", "dry_run",    "request_id"};
    for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
        json_object_del(j, drop[i]);
    char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    return text;
}

/* The dry run a and the write b answered alike; both are freed. */
static void assert_same_answer(struct th_reply *a, struct th_reply *b)
{
    char *ta = comparable(a->json), *tb = comparable(b->json);
    ck_assert_msg(strcmp(ta, tb) == 0, "dry run:\n%s\nwrite:\n%s", ta, tb);
    free(ta);
    free(tb);
    th_reply_free(a);
    th_reply_free(b);
}

/* The five-fault body of the issue, sent by an enterprise for an employee: an ID number with
 * a wrong check digit, an end date before the start, a negative cost, a level3 occupation that
 * is in no catalog, and a certificate without its number. */
#define FIVE_FAULTS                                                                                \
    "{\"region\":\"330902\",\"submit\":true,"                                                      \
    "\"employee\":{\"id_number\":\"330902199001011230\",\"name\":\"赵六\"},"                     \
    "\"claim\":{\"kind\":\"certificate_training\",\"occupation\":\"6-18-02-09\","                  \
    "\"level\":\"level3\",\"training_start\":\"2020-05-01\",\"training_end\":\"2020-04-01\","      \
    "\"certificate\":{\"kind\":\"qualification\",\"issue_date\":\"2020-06-30\"},"                  \
    "\"actual_cost_fen\":-5}}"

START_TEST(five_faults_one_reply_for_a_claim)
{
    long claims = rows("claim"), people = rows("person"), keys = rows("idempotency");
    struct th_reply r = th_write(&d, "POST", "/v1/claims", enterprise, "five-1", FIVE_FAULTS);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert_int_eq(code_of(&r), 1009);
    ck_assert(th_problem_has_field(&r, "employee.id_number"));
    ck_assert(th_problem_has_field(&r, "claim.training_end"));
    ck_assert(th_problem_has_field(&r, "claim.actual_cost_fen"));
    ck_assert_msg(rule_problem(&r, "catalog_entry_missing", NULL), "%s", r.body);
    ck_assert_msg(rule_problem(&r, "certificate_number_missing", "claim.certificate.number"), "%s",
                  r.body);
    /* what a field error already says is not said again by the rules */
    ck_assert_ptr_null(rule_problem(&r, "training_dates_invalid", NULL));
    ck_assert_ptr_null(rule_problem(&r, "person_missing", NULL));
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "detail")), "共 5 处问题");
    th_reply_free(&r);
    ck_assert_int_eq(rows("claim"), claims);
    ck_assert_int_eq(rows("person"), people);
    ck_assert_int_eq(rows("idempotency"), keys);
}
END_TEST

START_TEST(not_insured_is_one_problem_among_the_others)
{
    /* a real person the records do not show insured with the enterprise, and a certificate
     * without its number: both in one reply, under the employment code */
    char id[19], body[800];
    th_resident_id(id, "330902", 1992, 31);
    snprintf(body, sizeof body,
             "{\"region\":\"330902\",\"submit\":true,\"employee\":{\"id_number\":\"%s\","
             "\"name\":\"孙八\",\"hukou_region\":\"330902\"},\"claim\":{\"kind\":"
             "\"certificate_training\",\"occupation\":\"6-18-02-04\",\"level\":\"level4\","
             "\"certificate\":{\"kind\":\"qualification\",\"issue_date\":\"2020-06-30\"},"
             "\"actual_cost_fen\":50000}}",
             id);
    long claims = rows("claim"), people = rows("person");
    struct th_reply r = th_write(&d, "POST", "/v1/claims", enterprise, "uninsured-1", body);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert_int_eq(code_of(&r), 4020);
    ck_assert(th_problem_has_field(&r, "employee"));
    ck_assert_msg(rule_problem(&r, "certificate_number_missing", "claim.certificate.number"), "%s",
                  r.body);
    th_reply_free(&r);
    ck_assert_int_eq(rows("claim"), claims);
    ck_assert_int_eq(rows("person"), people);
}
END_TEST

START_TEST(five_faults_one_reply_for_precheck_and_subsidyctl)
{
    const char *body =
        "{\"region\":\"330902\",\"person\":{\"id_number\":\"330902199001011230\","
        "\"hukou_region\":\"330902\"},\"catalog\":{\"occupation\":\"6-18-02-04\",\"level\":"
        "\"level3\",\"year\":2020,\"standard_fen\":140000,\"shortage\":true},"
        "\"claim\":{\"kind\":\"certificate_training\",\"occupation\":\"6-18-02-09\","
        "\"level\":\"level3\",\"training_start\":\"2020-05-01\",\"training_end\":\"2020-04-01\","
        "\"certificate\":{\"kind\":\"qualification\",\"issue_date\":\"2020-06-30\"},"
        "\"actual_cost_fen\":-5,\"payee\":\"person\"}}";
    struct th_reply r = th_json(&d, "POST", "/v1/precheck", worker, body);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert(th_problem_has_field(&r, "person.id_number"));
    ck_assert(th_problem_has_field(&r, "claim.training_end"));
    ck_assert(th_problem_has_field(&r, "claim.actual_cost_fen"));
    ck_assert_msg(rule_problem(&r, "catalog_entry_mismatch", "catalog.occupation"), "%s", r.body);
    ck_assert(rule_problem(&r, "certificate_number_missing", NULL));
    ck_assert_ptr_null(rule_problem(&r, "person_id_invalid", NULL));
    th_reply_free(&r);

    /* subsidyctl evaluate gives the same answer: errors and problems together, exit 2 */
    char in[320], out[320];
    snprintf(in, sizeof in, "%s/five-faults.json", pg.dir);
    snprintf(out, sizeof out, "%s/five-faults.out", pg.dir);
    FILE *f = fopen(in, "w");
    ck_assert_ptr_nonnull(f);
    fputs(body, f);
    fclose(f);
    const char *args[] = {"evaluate", in, NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, args, out), 2);
    json_t *j = json_load_file(out, 0, NULL);
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(json_array_size(json_object_get(j, "errors")), 3);
    struct th_reply fake = {.json = j};
    ck_assert(rule_problem(&fake, "catalog_entry_mismatch", "catalog.occupation"));
    ck_assert(rule_problem(&fake, "certificate_number_missing", NULL));
    json_decref(j);
}
END_TEST

START_TEST(incomplete_draft_lists_every_missing_field)
{
    /* a draft with only its kind and occupation: no level, no dates, no certificate number,
     * no cost */
    struct th_reply r = th_write(&d, "POST", "/v1/claims", worker, "draft-min",
                                 "{\"region\":\"330902\",\"claim\":{\"kind\":"
                                 "\"certificate_training\",\"occupation\":\"6-18-02-04\","
                                 "\"certificate\":{\"kind\":\"qualification\"}}}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    long long id = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    char path[64];
    snprintf(path, sizeof path, "/v1/claims/%lld/submit", id);
    r = th_write(&d, "POST", path, worker, "draft-min-submit", NULL);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    /* the date that chooses the policy is named, not the region */
    ck_assert(th_problem_has_field(&r, "claim.certificate.issue_date"));
    ck_assert(!th_problem_has_field(&r, "region"));
    const json_t *level = rule_problem(&r, "level_missing", "claim.level");
    ck_assert_msg(level, "%s", r.body);
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(level, "allowed")), "level4"));
    ck_assert(rule_problem(&r, "certificate_number_missing", "claim.certificate.number"));
    ck_assert(rule_problem(&r, "actual_cost_missing", "claim.actual_cost_fen"));
    th_reply_free(&r);
    char sql[96]; /* still a draft */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM claim WHERE id = %lld AND state = 'draft'", id);
    ck_assert_int_eq(th_count(&pg, sql), 1);
}
END_TEST

START_TEST(field_messages_say_what_is_allowed)
{
    const char *body = "{\"region\":\"33090\",\"colour\":\"red\",\"claim\":{\"kind\":\"massage\","
                       "\"level\":\"level9\",\"training_start\":\"2020-13-01\","
                       "\"class_hours\":\"ten\",\"certificate\":{\"kind\":\"qualification\"}}}";
    struct th_reply r = th_write(&d, "POST", "/v1/claims", worker, "msg-zh", body);
    ck_assert_int_eq(r.status, 400); /* an unknown field: mass assignment is a 400 */
    ck_assert_ptr_nonnull(strstr(field_message(&r, "claim.kind"), "certificate_training"));
    ck_assert_ptr_nonnull(strstr(field_message(&r, "claim.level"), "level4"));
    ck_assert_ptr_nonnull(strstr(field_message(&r, "claim.training_start"), "YYYY-MM-DD"));
    ck_assert_ptr_nonnull(strstr(field_message(&r, "claim.class_hours"), "0 至 10000"));
    ck_assert_ptr_nonnull(strstr(field_message(&r, "region"), "GB/T 2260"));
    ck_assert_ptr_nonnull(strstr(field_message(&r, "colour"), "region, claim"));
    th_reply_free(&r);
    const char *en[] = {"Accept-Language: en", "Content-Type: application/json",
                        "Idempotency-Key: msg-en", NULL};
    r = th_http(&d, "POST", "/v1/claims", worker, body, -1, en);
    ck_assert_ptr_nonnull(strstr(field_message(&r, "claim.kind"), "must be one of"));
    ck_assert_ptr_nonnull(strstr(field_message(&r, "claim.training_start"), "valid date"));
    ck_assert_ptr_nonnull(strstr(field_message(&r, "claim.class_hours"), "from 0 to 10000"));
    th_reply_free(&r);
    /* a required field that is missing says what it must be */
    r = th_write(&d, "POST", "/v1/claims", worker, "msg-req", "{\"claim\":{}}");
    ck_assert_ptr_nonnull(strstr(field_message(&r, "region"), "330902"));
    ck_assert_ptr_nonnull(strstr(field_message(&r, "claim.kind"), "certificate_training"));
    th_reply_free(&r);
    /* JSON syntax errors are explained in Chinese, with the place */
    r = th_write(&d, "POST", "/v1/claims", worker, "msg-json", "{\"region\": 330902,}");
    ck_assert_int_eq(r.status, 400);
    const char *detail = json_string_value(json_object_get(r.json, "detail"));
    ck_assert_msg(detail && strstr(detail, "第 1 行") && strstr(detail, "JSON 语法错误"), "%s",
                  r.body);
    th_reply_free(&r);
    const char *en_json[] = {"Accept-Language: en", "Content-Type: application/json",
                             "Idempotency-Key: msg-json-en", NULL};
    r = th_http(&d, "POST", "/v1/claims", worker, "{\"a\":1,\"a\":2}", -1, en_json);
    detail = json_string_value(json_object_get(r.json, "detail"));
    ck_assert_msg(detail && strstr(detail, "duplicate") && strstr(detail, "line 1"), "%s", r.body);
    th_reply_free(&r);
}
END_TEST

/* ---- the dry run ---- */

START_TEST(dry_run_answers_as_the_submission_and_writes_nothing)
{
    const char *dry =
        "{\"region\":\"330902\",\"submit\":true,\"dry_run\":true,\"claim\":" ZS_CLAIM_L(
            "6-18-02-04", "level4", "DRY-1") "}";
    const char *real = "{\"region\":\"330902\",\"submit\":true,\"claim\":" ZS_CLAIM_L(
        "6-18-02-04", "level4", "DRY-1") "}";
    long claims = rows("claim"), events = rows("claim_event"), audits = rows("audit"),
         keys = rows("idempotency"),
         quota = th_count(&pg, "SELECT coalesce(sum(used), 0) FROM "
                               "claim_quota");
    /* no key needed, and one given is not used */
    struct th_reply a = th_json(&d, "POST", "/v1/claims", worker, dry);
    ck_assert_msg(a.status == 200, "%ld %s", a.status, a.body);
    ck_assert(json_is_true(json_object_get(a.json, "dry_run")));
    ck_assert_str_eq(json_string_value(json_object_get(a.json, "state")), "submitted");
    struct th_reply b = th_write(&d, "POST", "/v1/claims", worker, "dry-key", dry);
    ck_assert_int_eq(b.status, 200);
    th_reply_free(&b);
    ck_assert_int_eq(rows("claim"), claims);
    ck_assert_int_eq(rows("claim_event"), events);
    ck_assert_int_eq(rows("audit"), audits);
    ck_assert_int_eq(rows("idempotency"), keys);
    ck_assert_int_eq(th_count(&pg, "SELECT coalesce(sum(used), 0) FROM claim_quota"), quota);
    /* the submission itself answers the same, apart from what it writes */
    b = th_write(&d, "POST", "/v1/claims", worker, "dry-key", real);
    ck_assert_msg(b.status == 201, "%ld %s", b.status, b.body);
    assert_same_answer(&a, &b);
    ck_assert_int_eq(rows("claim"), claims + 1);

    /* a refusal is the same problem: the same occupation and level again is a 409 */
    a = th_json(&d, "POST", "/v1/claims", worker, dry);
    b = th_write(&d, "POST", "/v1/claims", worker, "dry-key-2", real);
    ck_assert_int_eq(a.status, 409);
    ck_assert_int_eq(b.status, 409);
    assert_same_answer(&a, &b);
    /* and a claim with problems the same 422 */
    const char *bad = "{\"region\":\"330902\",\"submit\":true,%s\"claim\":" ZS_CLAIM_L(
        "6-18-02-09", "level3", "DRY-2") "}";
    char bd[600], br[600];
    snprintf(bd, sizeof bd, bad, "\"dry_run\":true,");
    snprintf(br, sizeof br, bad, "");
    a = th_json(&d, "POST", "/v1/claims", worker, bd);
    b = th_write(&d, "POST", "/v1/claims", worker, "dry-key-3", br);
    ck_assert_int_eq(a.status, 422);
    ck_assert_int_eq(b.status, 422);
    assert_same_answer(&a, &b);
}
END_TEST

START_TEST(dry_run_of_a_draft_submission)
{
    struct th_reply r = th_write(
        &d, "POST", "/v1/claims", worker, "draft-dry",
        "{\"region\":\"330902\",\"claim\":" ZS_CLAIM_L("6-18-02-05", "level5", "DRY-3") "}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    long long id = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    char path[80], sql[96];
    snprintf(path, sizeof path, "/v1/claims/%lld/submit?dry_run=true", id);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM claim WHERE id = %lld AND state = 'draft'", id);
    long events = rows("claim_event");
    struct th_reply a = th_write(&d, "POST", path, worker, "draft-dry-submit", NULL);
    ck_assert_msg(a.status == 200, "%ld %s", a.status, a.body);
    ck_assert(json_is_true(json_object_get(a.json, "dry_run")));
    ck_assert_str_eq(json_string_value(json_object_get(a.json, "state")), "submitted");
    ck_assert_int_eq(th_count(&pg, sql), 1); /* still a draft */
    ck_assert_int_eq(rows("claim_event"), events);
    snprintf(path, sizeof path, "/v1/claims/%lld/submit?dry_run=maybe", id);
    r = th_write(&d, "POST", path, worker, "draft-dry-bad", NULL);
    ck_assert_int_eq(r.status, 400);
    ck_assert(th_problem_has_field(&r, "dry_run"));
    th_reply_free(&r);
    snprintf(path, sizeof path, "/v1/claims/%lld/submit", id);
    struct th_reply b = th_write(&d, "POST", path, worker, "draft-dry-submit", NULL);
    ck_assert_msg(b.status == 200, "%ld %s", b.status, b.body);
    ck_assert_ptr_null(json_object_get(b.json, "dry_run"));
    assert_same_answer(&a, &b);
    ck_assert_int_eq(th_count(&pg, sql), 0);
}
END_TEST

START_TEST(dry_run_knows_the_quota_precheck_does_not)
{
    /* an enterprise's employee with three training subsidies in 2020 */
    char id[19], body[1200];
    th_resident_id(id, "330902", 1991, 77);
    const char *ids[] = {id};
    ck_assert(th_insure(&d, admin, ENT_ZS, ids, 1, "2019-01-01"));
    const char *levels[] = {"level5", "level4", "level5"};
    for (int i = 0; i < 3; i++) {
        char key[32], no[16];
        snprintf(key, sizeof key, "q-%d", i);
        snprintf(no, sizeof no, "Q-%d", i);
        snprintf(body, sizeof body,
                 "{\"region\":\"330902\",\"submit\":true,\"employee\":{\"id_number\":\"%s\","
                 "\"name\":\"钱七\",\"hukou_region\":\"330902\"},\"claim\":{\"kind\":"
                 "\"certificate_training\",\"occupation\":\"6-18-02-0%d\",\"level\":\"%s\","
                 "\"certificate\":{\"kind\":\"qualification\",\"number\":\"%s\",\"issue_date\":"
                 "\"2020-06-30\"},\"actual_cost_fen\":50000}}",
                 id, 4 + i, levels[i], no);
        struct th_reply r = th_write(&d, "POST", "/v1/claims", enterprise, key, body);
        ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
        th_reply_free(&r);
    }
    /* the offline calculator says a fourth is eligible: it knows nothing of the three */
    snprintf(body, sizeof body,
             "{\"region\":\"330902\",\"person\":{\"id_number\":\"%s\",\"hukou_region\":"
             "\"330902\"},\"claim\":{\"kind\":\"certificate_training\",\"occupation\":"
             "\"6-18-02-08\",\"level\":\"level4\",\"certificate\":{\"kind\":\"qualification\","
             "\"number\":\"Q-4\",\"issue_date\":\"2020-07-30\"},\"actual_cost_fen\":50000,"
             "\"payee\":\"enterprise\"},\"employer\":{\"credit_code\":\"" ENT_ZS "\"}}",
             id);
    struct th_reply r = th_json(&d, "POST", "/v1/precheck", enterprise, body);
    ck_assert_int_eq(r.status, 200);
    ck_assert(json_is_true(json_object_get(r.json, "eligible")));
    th_reply_free(&r);
    /* the dry run of the real submission knows */
    snprintf(body, sizeof body,
             "{\"region\":\"330902\",\"submit\":true,\"dry_run\":true,\"employee\":{"
             "\"id_number\":\"%s\",\"name\":\"钱七\",\"hukou_region\":\"330902\"},\"claim\":{"
             "\"kind\":\"certificate_training\",\"occupation\":\"6-18-02-08\",\"level\":"
             "\"level4\",\"certificate\":{\"kind\":\"qualification\",\"number\":\"Q-4\","
             "\"issue_date\":\"2020-07-30\"},\"actual_cost_fen\":50000}}",
             id);
    r = th_json(&d, "POST", "/v1/claims", enterprise, body);
    ck_assert_msg(r.status == 409, "%ld %s", r.status, r.body);
    ck_assert_int_eq(code_of(&r), 4001);
    th_reply_free(&r);
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_token(&pg, "applicant", WORKER_ID, NULL, worker);
    th_token(&pg, "enterprise", ENT_ZS, NULL, enterprise);
    struct th_reply r = th_write(&d, "PUT", "/v1/admin/enterprises/" ENT_ZS, admin, "ent",
                                 "{\"name\":\"舟山示范企业\",\"region\":\"330902\"}");
    bool ok = r.status == 201;
    th_reply_free(&r);
    r = th_write(&d, "PUT", "/v1/profile", worker, "pf-1",
                 "{\"id_number\":\"" WORKER_ID "\",\"name\":\"张三\",\"phone\":\"13812345678\","
                 "\"hukou_region\":\"330902\"}");
    ok = ok && r.status == 200;
    th_reply_free(&r);
    if (!ok) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("claims-answer");
    TCase *tc = tcase_create("claims-answer");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, five_faults_one_reply_for_a_claim);
    tcase_add_test(tc, not_insured_is_one_problem_among_the_others);
    tcase_add_test(tc, five_faults_one_reply_for_precheck_and_subsidyctl);
    tcase_add_test(tc, incomplete_draft_lists_every_missing_field);
    tcase_add_test(tc, field_messages_say_what_is_allowed);
    tcase_add_test(tc, dry_run_answers_as_the_submission_and_writes_nothing);
    tcase_add_test(tc, dry_run_of_a_draft_submission);
    tcase_add_test(tc, dry_run_knows_the_quota_precheck_does_not);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
