/* API tier: claims filed under 告知承诺制 (notification-and-commitment, Ningbo 五(一): "推进培训
 * 补贴申领告知承诺制"; issue 13 "Sampling").  A claim body's claim.commitment is taken only under
 * a policy whose file has a [commitment] block (Ningbo's): elsewhere it is the problem
 * commitment_not_offered in the one complete answer, nothing stored.  A submitted commitment
 * claim is drawn in the submission's own statement from the setting in force (subsidyctl
 * sampling set: the newest row of the district, else the city, else the policy): the draw is
 * reproduced here from the recorded seed by this test's own SQL for 200 claims, the sampled share
 * is near the percentage, every claim above the amount is sampled, no setting means sampled
 * (fail safe), and a sampled claim is held (payment_hold commitment_sample). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64];
static int keys;
static unsigned serial = 100;

#define WELDER_FEN      200000 /* 6-18-02-04 level3 in the Ningbo 2020 catalog */
#define ELECTRICIAN_FEN 100000 /* 6-18-02-09 level3 */

/* A new applicant with a profile (hukou in 海曙区, Ningbo): their token into token. */
static void new_applicant(char token[64], char id[19], const char *hukou)
{
    th_resident_id(id, hukou, 1990, serial++);
    th_token(&pg, "applicant", id, NULL, token);
    ck_assert(th_profile(&d, token, id, hukou));
}

/* POST /v1/claims of a certificate training claim in region, on commitment or not. */
static struct th_reply file_claim(const char *token, const char *region, const char *occupation,
                                  bool commitment)
{
    char body[768], key[32];
    snprintf(body, sizeof body,
             "{\"region\":\"%s\",\"submit\":true,\"claim\":{\"kind\":\"certificate_training\","
             "\"occupation\":\"%s\",\"level\":\"level3\",\"certificate\":{\"kind\":"
             "\"qualification\",\"number\":\"CS%06u\",\"issue_date\":\"2020-06-30\"},"
             "\"training_start\":\"2020-05-01\",\"training_end\":\"2020-06-20\"%s}}",
             region, occupation, serial++, commitment ? ",\"commitment\":true" : "");
    snprintf(key, sizeof key, "claim-%d", keys++);
    return th_write(&d, "POST", "/v1/claims", token, key, body);
}

/* The last claim's applicant (submitted). */
static char last_token[64], last_id[19];

/* A new applicant's submitted claim in region: its id. */
static long long submitted(const char *region, const char *occupation, bool commitment)
{
    char *token = last_token, *id = last_id;
    new_applicant(token, id, "330203");
    struct th_reply r = file_claim(token, region, occupation, commitment);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    long long claim = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    return claim;
}

/* subsidyctl sampling set; its exit status. */
static int sampling_set(const char *region, const char *bp, const char *above)
{
    const char *args[] = {"sampling",
                          "set",
                          "--policy",
                          "ningbo-2019",
                          "--percent-bp",
                          bp,
                          "--above-fen",
                          above,
                          region ? "--region" : NULL,
                          region,
                          NULL};
    return th_subsidyctl(&pg, args, NULL);
}

/* One value of claim id's sample row ("" when it has none). */
static char *sample_of(long long id, const char *column)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT coalesce((SELECT %s::text FROM claim_sample WHERE claim_id = %lld), '')",
             column, id);
    return th_sql(&pg, sql);
}

static void expect_sample(long long id, const char *column, const char *want)
{
    char *got = sample_of(id, column);
    ck_assert_msg(strcmp(got, want) == 0, "claim %lld: %s = '%s', want '%s'", id, column, got,
                  want);
    free(got);
}

static long long newest_setting(void)
{
    return th_count(&pg, "SELECT max(id) FROM sampling_setting");
}

START_TEST(commitment_only_where_the_policy_offers_it)
{
    char token[64], id[19];
    new_applicant(token, id, "330902"); /* Zhoushan: its policy offers no commitment */
    long before = th_count(&pg, "SELECT count(*) FROM claim");
    struct th_reply r = file_claim(token, "330902", "6-18-02-04", true);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    bool named = false;
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(r.json, "problems"), i, p) named |=
        strcmp(json_string_value(json_object_get(p, "code")), "commitment_not_offered") == 0 &&
        strcmp(json_string_value(json_object_get(p, "field")), "claim.commitment") == 0;
    ck_assert_msg(named, "%s", r.body);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM claim"), before);
    /* precheck says the same (the rule module's own problem) */
    r = th_write(&d, "POST", "/v1/precheck", token, NULL,
                 "{\"region\":\"330902\",\"claim\":{\"kind\":\"certificate_training\","
                 "\"occupation\":\"6-18-02-04\",\"level\":\"level3\",\"commitment\":true}}");
    ck_assert_msg(strstr(r.body, "commitment_not_offered") != NULL, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    /* a commitment that is not a boolean is a field error */
    new_applicant(token, id, "330203");
    r = th_write(&d, "POST", "/v1/claims", token, "bad-commitment",
                 "{\"region\":\"330203\",\"submit\":true,\"claim\":{\"kind\":"
                 "\"certificate_training\",\"occupation\":\"6-18-02-04\",\"level\":\"level3\","
                 "\"commitment\":\"yes\"}}");
    ck_assert_msg(r.status == 422 && th_problem_has_field(&r, "claim.commitment"), "%ld %s",
                  r.status, r.body);
    th_reply_free(&r);
}
END_TEST

/* The state's records still win: an enterprise's commitment does not make a person it does not
 * insure its employee (S11); refused with not_insured_with_enterprise, nothing stored. */
START_TEST(the_records_still_win_over_a_commitment)
{
    char code[19], token[64], id[19], body[1024];
    th_credit_code(code, "330203", 7);
    ck_assert(th_enterprise(&d, admin, code, "330203"));
    th_token(&pg, "enterprise", code, NULL, token);
    th_resident_id(id, "330203", 1988, serial++);
    long before = th_count(&pg, "SELECT count(*) FROM claim");
    snprintf(body, sizeof body,
             "{\"region\":\"330203\",\"submit\":true,\"employee\":{\"id_number\":\"%s\","
             "\"name\":\"孙八\",\"hukou_region\":\"330203\"},\"claim\":{\"kind\":"
             "\"certificate_training\",\"occupation\":\"6-18-02-04\",\"level\":\"level3\","
             "\"certificate\":{\"kind\":\"qualification\",\"number\":\"CS-ENT-1\","
             "\"issue_date\":\"2020-06-30\"},\"payee\":\"enterprise\",\"commitment\":true}}",
             id);
    struct th_reply r = th_write(&d, "POST", "/v1/claims", token, "ent-commit", body);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "code")), 4020);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM claim"), before);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM claim_sample s JOIN claim c"
                                   " ON c.id = s.claim_id WHERE c.owner_role = 'enterprise'"),
                     0);
}
END_TEST

START_TEST(no_setting_in_force_samples_every_commitment_claim)
{
    /* nothing set for 江北区, its city or the policy: fail safe; the reply says it is held */
    char who[64], pid0[19];
    new_applicant(who, pid0, "330203");
    struct th_reply first = file_claim(who, "330205", "6-18-02-09", true);
    ck_assert_msg(first.status == 201, "%ld %s", first.status, first.body);
    ck_assert_str_eq(json_string_value(json_object_get(first.json, "payment_hold")),
                     "commitment_sample");
    long long id = json_integer_value(json_object_get(first.json, "id"));
    th_reply_free(&first);
    expect_sample(id, "sampled", "true");
    expect_sample(id, "reasons", "no_setting");
    expect_sample(id, "setting_id", "");
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM claim WHERE id = %lld AND commitment"
             " AND payment_hold = 'commitment_sample'",
             id);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM claim_event WHERE claim_id = %lld AND action = 'payment_hold'"
             " AND reason = 'commitment_sample: no_setting'",
             id);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    /* a draft on commitment is drawn when it is submitted */
    char token[64], pid[19], path[64];
    new_applicant(token, pid, "330203");
    struct th_reply r = th_write(&d, "POST", "/v1/claims", token, "draft-c",
                                 "{\"region\":\"330205\",\"claim\":{\"kind\":"
                                 "\"certificate_training\",\"occupation\":\"6-18-02-04\","
                                 "\"level\":\"level3\",\"certificate\":{\"kind\":\"qualification\","
                                 "\"number\":\"CS-DRAFT\",\"issue_date\":\"2020-06-30\"},"
                                 "\"commitment\":true}}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    long long draft = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    expect_sample(draft, "sampled", "");
    snprintf(path, sizeof path, "/v1/claims/%lld/submit", draft);
    r = th_write(&d, "POST", path, token, "draft-c-submit", NULL);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    expect_sample(draft, "reasons", "no_setting");
    /* a claim not filed on commitment is never drawn, and not held */
    char who2[64], pid2[19];
    new_applicant(who2, pid2, "330203");
    struct th_reply second = file_claim(who2, "330205", "6-18-02-09", false);
    ck_assert_msg(second.status == 201, "%ld %s", second.status, second.body);
    ck_assert(json_is_null(json_object_get(second.json, "payment_hold")));
    long long plain = json_integer_value(json_object_get(second.json, "id"));
    th_reply_free(&second);
    expect_sample(plain, "sampled", "");
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM claim WHERE id = %lld AND NOT commitment"
             " AND payment_hold IS NULL",
             plain);
    ck_assert_int_eq(th_count(&pg, sql), 1);
}
END_TEST

START_TEST(the_draw_is_reproduced_from_the_recorded_seed)
{
    ck_assert_int_eq(sampling_set("330203", "2500", "100000000000"), 0);
    long long setting = newest_setting();
    enum { N = 200 };
    long long first = 0;
    for (int i = 0; i < N; i++) {
        long long id = submitted("330203", i % 2 ? "6-18-02-04" : "6-18-02-09", true);
        if (!first)
            first = id;
    }
    char sql[2048];
    /* every claim drawn from the setting, with its figures */
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM claim_sample s WHERE s.claim_id >= %lld AND s.setting_id = %lld"
             " AND s.percent_bp = 2500 AND s.above_fen = 100000000000",
             first, setting);
    ck_assert_int_eq(th_count(&pg, sql), N);
    /* the draw: the first 32 bits of sha256(seed || ':' || id), big-endian, mod 10000 —
     * written here byte by byte, not with the migration's function */
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM claim_sample s JOIN sampling_setting t ON t.id = s.setting_id,"
             " LATERAL (SELECT sha256(t.seed || convert_to(':' || s.claim_id, 'UTF8')) AS h) x"
             " WHERE s.claim_id >= %lld AND s.draw = ((get_byte(x.h, 0)::bigint << 24)"
             "  + (get_byte(x.h, 1) << 16) + (get_byte(x.h, 2) << 8) + get_byte(x.h, 3)) %% 10000"
             " AND s.sampled = (s.draw < 2500)"
             " AND s.reasons IS NOT DISTINCT FROM CASE WHEN s.draw < 2500 THEN 'random' END",
             first);
    ck_assert_int_eq(th_count(&pg, sql), N);
    /* held exactly when sampled */
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM claim c JOIN claim_sample s ON s.claim_id = c.id"
             " WHERE c.id >= %lld AND (c.payment_hold IS NOT DISTINCT FROM 'commitment_sample')"
             " = s.sampled",
             first);
    ck_assert_int_eq(th_count(&pg, sql), N);
    /* 25 % of 200 is 50, sd 6.1: well inside 4 sd */
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM claim_sample WHERE claim_id >= %lld AND sampled", first);
    long sampled = th_count(&pg, sql);
    ck_assert_msg(sampled >= 26 && sampled <= 74, "%ld of %d sampled at 2500 bp", sampled, N);
}
END_TEST

START_TEST(every_claim_above_the_amount_is_sampled)
{
    ck_assert_int_eq(sampling_set("330212", "0", "150000"), 0);
    long long welder = submitted("330212", "6-18-02-04", true);
    long long electrician = submitted("330212", "6-18-02-09", true);
    expect_sample(welder, "sampled", "true");
    expect_sample(welder, "reasons", "amount");
    expect_sample(electrician, "sampled", "false");
    expect_sample(electrician, "reasons", "");
    char *draw = sample_of(electrician, "draw");
    ck_assert_msg(draw[0] != '\0', "the draw is recorded for a claim not sampled too");
    free(draw);
    /* the threshold is "above": a claim of exactly the amount is not sampled for it */
    ck_assert_int_eq(sampling_set("330212", "0", "200000"), 0);
    long long at = submitted("330212", "6-18-02-04", true);
    expect_sample(at, "sampled", "false");
    /* both reasons at once */
    ck_assert_int_eq(sampling_set("330212", "10000", "150000"), 0);
    long long both = submitted("330212", "6-18-02-04", true);
    expect_sample(both, "reasons", "both");
}
END_TEST

START_TEST(the_most_specific_newest_setting_applies)
{
    /* 330206 北仑区: first the policy's setting, then the city's, then the district's */
    ck_assert_int_eq(sampling_set(NULL, "0", "100000000000"), 0);
    long long policy = newest_setting();
    long long a = submitted("330206", "6-18-02-09", true);
    expect_sample(a, "sampled", "false");
    char want[24];
    snprintf(want, sizeof want, "%lld", policy);
    expect_sample(a, "setting_id", want);
    ck_assert_int_eq(sampling_set("330200", "10000", "100000000000"), 0);
    long long b = submitted("330206", "6-18-02-09", true);
    expect_sample(b, "reasons", "random");
    ck_assert_int_eq(sampling_set("330206", "0", "100000000000"), 0);
    long long district = newest_setting();
    long long c = submitted("330206", "6-18-02-09", true);
    expect_sample(c, "sampled", "false");
    snprintf(want, sizeof want, "%lld", district);
    expect_sample(c, "setting_id", want);
    /* a newer version of the city's setting does not override the district's */
    ck_assert_int_eq(sampling_set("330200", "10000", "0"), 0);
    long long e = submitted("330206", "6-18-02-09", true);
    expect_sample(e, "setting_id", want);
    /* every set is a new row with its own seed, audited */
    ck_assert_int_eq(th_count(&pg, "SELECT count(DISTINCT seed) FROM sampling_setting"),
                     th_count(&pg, "SELECT count(*) FROM sampling_setting"));
    ck_assert_int_eq(
        th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'sampling_setting.set'"),
        th_count(&pg, "SELECT count(*) FROM sampling_setting"));
    /* the list marks the one in force of each scope */
    char out[256];
    snprintf(out, sizeof out, "%s/sampling-list.json", th_build_root());
    const char *list[] = {"sampling", "list", "--policy", "ningbo-2019", NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, list, out), 0);
    json_t *rows = json_load_file(out, 0, NULL);
    ck_assert(json_is_array(rows));
    int in_force = 0, city = 0;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (!json_is_true(json_object_get(row, "in_force")))
            continue;
        in_force++;
        const char *region = json_string_value(json_object_get(row, "region"));
        if (region && strcmp(region, "330200") == 0) {
            city++;
            ck_assert_int_eq(json_integer_value(json_object_get(row, "above_fen")), 0);
        }
    }
    ck_assert_int_eq(city, 1);
    ck_assert_int_eq(in_force, th_count(&pg, "SELECT count(DISTINCT coalesce(region, ''))"
                                             " FROM sampling_setting"));
    json_decref(rows);
}
END_TEST

START_TEST(sampling_set_refuses_bad_arguments)
{
    long before = th_count(&pg, "SELECT count(*) FROM sampling_setting");
    const char *bad[][12] = {
        {"sampling", "set", "--policy", "ningbo-2019", "--percent-bp", "10001", "--above-fen", "0"},
        {"sampling", "set", "--policy", "ningbo-2019", "--percent-bp", "-1", "--above-fen", "0"},
        {"sampling", "set", "--policy", "ningbo-2019", "--percent-bp", "5", "--above-fen", "-5"},
        {"sampling", "set", "--policy", "ningbo-2019", "--percent-bp", "5"},
        {"sampling", "set", "--policy", "Ningbo!", "--percent-bp", "5", "--above-fen", "0"},
        {"sampling", "set", "--percent-bp", "5", "--above-fen", "0"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_int_eq(th_subsidyctl(&pg, bad[i], NULL), 2);
    ck_assert_int_eq(sampling_set("339999", "5", "0"), 1); /* an unknown region */
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM sampling_setting"), before);
}
END_TEST

/* ---- verification ---- */

static char approver[64], colleague[64], elsewhere[64];
static long long approver_tid;
static long claim_count(long long id, const char *where)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM claim c WHERE c.id = %lld AND %s", id, where);
    return th_count(&pg, sql);
}

static long steps_of(long long id, const char *action, const char *detail_has)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM claim_event WHERE claim_id = %lld AND action = '%s'"
             " AND detail @> '%s'::jsonb",
             id, action, detail_has);
    return th_count(&pg, sql) * 100 +
           claim_count(id, "EXISTS (SELECT 1 FROM audit a WHERE a.object_kind = 'claim'"
                           " AND a.object_id = c.id::text AND a.action = 'claim.verify')");
}

#define CONFIRMED "{\"outcome\":\"confirmed\",\"note\":\"核对社保与证书记录一致\"}"
#define FALSE_C   "{\"outcome\":\"false_commitment\",\"note\":\"承诺的培训未参加\"}"

START_TEST(a_sampled_claim_is_paid_only_once_confirmed)
{
    ck_assert_int_eq(sampling_set("330211", "10000", "0"), 0); /* 镇海区: every claim */
    long long id = submitted("330211", "6-18-02-09", true);
    ck_assert_int_eq(claim_count(id, "payment_hold = 'commitment_sample'"), 1);
    /* an approval is allowed and leaves the hold: it may not be paid before verification */
    th_expect(th_claim_step(&d, id, "take", approver, "{}", NULL), 200, 0, "in_review");
    th_expect(th_claim_step(&d, id, "approve", approver, "{}", NULL), 200, 0, "in_notice");
    ck_assert_int_eq(claim_count(id, "payment_hold = 'commitment_sample'"), 1);
    struct th_reply r = th_claim_step(&d, id, "verify", approver, CONFIRMED, NULL);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "in_notice");
    ck_assert(json_is_null(json_object_get(r.json, "payment_hold")));
    th_reply_free(&r);
    char sql[256];
    snprintf(
        sql, sizeof sql,
        "SELECT count(*) FROM claim_sample WHERE claim_id = %lld AND outcome = 'confirmed'"
        " AND verified_by = %lld AND verified_at IS NOT NULL AND note = '核对社保与证书记录一致'",
        id, approver_tid);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    ck_assert_int_eq(claim_count(id, "payment_hold IS NULL AND NOT clawback_due"), 1);
    ck_assert_int_eq(steps_of(id, "verify", "{\"outcome\":\"confirmed\"}"), 101);
    /* once: a second verification, of either outcome, is refused */
    th_expect(th_claim_step(&d, id, "verify", approver, CONFIRMED, NULL), 409, 4341, NULL);
    th_expect(th_claim_step(&d, id, "verify", colleague, FALSE_C, NULL), 409, 4341, NULL);
    ck_assert_int_eq(claim_count(id, "state = 'in_notice'"), 1);
}
END_TEST

START_TEST(a_false_commitment_is_rejected_and_flagged_for_clawback)
{
    ck_assert_int_eq(sampling_set("330211", "10000", "0"), 0);
    /* waiting in the queue */
    long long id = submitted("330211", "6-18-02-04", true);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT q.used FROM claim_quota q JOIN claim c ON"
             " c.person_id = q.person_id AND c.year = q.year WHERE c.id = %lld",
             id);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    th_expect(th_claim_step(&d, id, "verify", approver, FALSE_C, NULL), 200, 0, "rejected");
    ck_assert_int_eq(th_count(&pg, sql), 0); /* the quota place given back */
    ck_assert_int_eq(claim_count(id, "clawback_due AND state = 'rejected'"), 1);
    ck_assert_int_eq(
        steps_of(id, "verify",
                 "{\"outcome\":\"false_commitment\",\"reason_codes\":[\"commitment_false\"]}"),
        101);
    snprintf(
        sql, sizeof sql,
        "SELECT count(*) FROM claim_event WHERE claim_id = %lld AND action = 'verify'"
        " AND from_state = 'submitted' AND to_state = 'rejected' AND reason = '承诺的培训未参加'",
        id);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    th_expect(th_claim_step(&d, id, "verify", approver, FALSE_C, NULL), 409, 4341, NULL);
    /* from an approval too, and the approver's hold of a claim in review ends with it */
    long long approved = submitted("330211", "6-18-02-09", true);
    th_expect(th_claim_step(&d, approved, "take", approver, "{}", NULL), 200, 0, "in_review");
    th_expect(th_claim_step(&d, approved, "approve", approver, "{}", NULL), 200, 0, "in_notice");
    th_expect(th_claim_step(&d, approved, "verify", colleague, FALSE_C, NULL), 200, 0, "rejected");
    long long held = submitted("330211", "6-18-02-09", true);
    th_expect(th_claim_step(&d, held, "take", approver, "{}", NULL), 200, 0, "in_review");
    th_expect(th_claim_step(&d, held, "verify", approver, FALSE_C, NULL), 200, 0, "rejected");
    ck_assert_int_eq(claim_count(held, "assigned_token IS NULL AND clawback_due"), 1);
}
END_TEST

/* A returned commitment claim, fixed and resubmitted, keeps its first draw (one sample row, the
 * same setting and value) and its hold. */
START_TEST(a_resubmission_keeps_the_first_draw)
{
    ck_assert_int_eq(sampling_set("330211", "10000", "0"), 0);
    long long id = submitted("330211", "6-18-02-09", true);
    char *draw = sample_of(id, "draw"), *setting = sample_of(id, "setting_id");
    th_expect(th_claim_step(&d, id, "take", approver, "{}", NULL), 200, 0, "in_review");
    th_expect(
        th_claim_step(
            &d, id, "return", approver,
            "{\"fixes\":[{\"field\":\"claim.certificate.number\",\"reason\":\"与证书不一致\"}]}",
            NULL),
        200, 0, "returned");
    ck_assert_int_eq(sampling_set("330211", "0", "100000000000"), 0); /* a new version since */
    char path[64];
    snprintf(path, sizeof path, "/v1/claims/%lld", id);
    struct th_reply r =
        th_write(&d, "PATCH", path, last_token, "fix-commit",
                 "{\"region\":\"330211\",\"claim\":{\"kind\":\"certificate_training\","
                 "\"occupation\":\"6-18-02-09\",\"level\":\"level3\",\"certificate\":{\"kind\":"
                 "\"qualification\",\"number\":\"CS-FIXED\",\"issue_date\":\"2020-06-30\"},"
                 "\"commitment\":true}}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    th_expect(th_claim_step(&d, id, "resubmit", last_token, NULL, NULL), 200, 0, "resubmitted");
    expect_sample(id, "draw", draw);
    expect_sample(id, "setting_id", setting);
    expect_sample(id, "sampled", "true");
    ck_assert_int_eq(claim_count(id, "payment_hold = 'commitment_sample'"), 1);
    free(draw);
    free(setting);
}
END_TEST

START_TEST(verification_refusals)
{
    ck_assert_int_eq(sampling_set("330211", "10000", "0"), 0);
    ck_assert_int_eq(sampling_set("330213", "0", "100000000000"), 0); /* 奉化区: none */
    /* not a commitment claim; a commitment claim not drawn */
    long long plain = submitted("330211", "6-18-02-09", false);
    th_expect(th_claim_step(&d, plain, "verify", approver, CONFIRMED, NULL), 409, 4340, NULL);
    char fenghua[64];
    th_token(&pg, "approver", NULL, "330213", fenghua);
    long long lucky = submitted("330213", "6-18-02-09", true);
    expect_sample(lucky, "sampled", "false");
    th_expect(th_claim_step(&d, lucky, "verify", fenghua, CONFIRMED, NULL), 409, 4340, NULL);
    /* withdrawn: nothing to verify; nothing written */
    long long gone = submitted("330211", "6-18-02-09", true);
    th_expect(th_claim_step(&d, gone, "withdraw", last_token, "{}", NULL), 200, 0, "withdrawn");
    th_expect(th_claim_step(&d, gone, "verify", approver, CONFIRMED, NULL), 409, 4342, NULL);
    expect_sample(gone, "outcome", "");
    /* another approver holds it */
    long long taken = submitted("330211", "6-18-02-09", true);
    th_expect(th_claim_step(&d, taken, "take", approver, "{}", NULL), 200, 0, "in_review");
    th_expect(th_claim_step(&d, taken, "verify", colleague, CONFIRMED, NULL), 409, 4301, NULL);
    /* another region's approver: not found; an applicant: forbidden */
    th_expect(th_claim_step(&d, taken, "verify", elsewhere, CONFIRMED, NULL), 404, 0, NULL);
    th_expect(th_claim_step(&d, taken, "verify", last_token, CONFIRMED, NULL), 403, 0, NULL);
    expect_sample(taken, "outcome", "");
    /* bad bodies name their field */
    long long id = submitted("330211", "6-18-02-09", true);
    static const struct {
        const char *body, *field;
        long status;
    } bad[] = {
        {"{}", "outcome", 422},
        {"{\"outcome\":\"maybe\"}", "outcome", 422},
        {"{\"outcome\":\"confirmed\",\"note\":\"\"}", "note", 422},
        {"{\"outcome\":\"confirmed\",\"state\":\"paid\"}", "state", 400},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct th_reply r = th_claim_step(&d, id, "verify", approver, bad[i].body, NULL);
        ck_assert_msg(r.status == bad[i].status && th_problem_has_field(&r, bad[i].field),
                      "%s: %ld %s", bad[i].body, r.status, r.body);
        th_reply_free(&r);
    }
    expect_sample(id, "outcome", "");
    /* separation of duties: the approver is the claim's person */
    struct th_reply r = th_write(&d, "POST", "/v1/admin/accounts", admin, "acct-own",
                                 "{\"name\":\"审核员钱某\",\"role\":\"approver\","
                                 "\"regions\":[\"330211\"]}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    long long account = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    char path[96], body[128], own[96];
    snprintf(path, sizeof path, "/v1/admin/accounts/%lld/interests", account);
    snprintf(body, sizeof body, "{\"id_number\":\"%s\"}", last_id);
    r = th_write(&d, "PUT", path, admin, "acct-own-interests", body);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    snprintf(path, sizeof path, "/v1/admin/accounts/%lld/tokens", account);
    r = th_write(&d, "POST", path, admin, "acct-own-token", "{}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    snprintf(own, sizeof own, "%s", json_string_value(json_object_get(r.json, "token")));
    th_reply_free(&r);
    th_expect(th_claim_step(&d, id, "verify", own, CONFIRMED, NULL), 403, 4330, NULL);
    expect_sample(id, "outcome", "");
}
END_TEST

static bool publish_catalog(void)
{
    struct th_reply r =
        th_write(&d, "POST", "/v1/admin/catalogs", admin, "nb-cat",
                 "{\"policy\":\"ningbo-2019\",\"year\":2020,\"effective_from\":\"2020-01-01\","
                 "\"source\":\"宁波市2020年目录\",\"entries\":[{\"occupation\":\"6-18-02-04\","
                 "\"occupation_name\":\"焊工\",\"level\":\"level3\",\"standard_fen\":200000,"
                 "\"shortage\":false},{\"occupation\":\"6-18-02-09\",\"occupation_name\":\"电工\","
                 "\"level\":\"level3\",\"standard_fen\":100000,\"shortage\":false}]}");
    bool ok = r.status == 201;
    if (!ok)
        fprintf(stderr, "catalog: %ld %s\n", r.status, r.body);
    th_reply_free(&r);
    return ok;
}

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_token(&pg, "approver", NULL, "330211", approver);
    approver_tid = th_count(&pg, "SELECT max(id) FROM token");
    th_token(&pg, "approver", NULL, "330200", colleague); /* the city's */
    th_token(&pg, "approver", NULL, "330902", elsewhere);
    if (!publish_catalog()) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("commitment_sampling");
    TCase *draw = tcase_create("draw");
    tcase_set_timeout(draw, 240);
    tcase_add_test(draw, commitment_only_where_the_policy_offers_it);
    tcase_add_test(draw, the_records_still_win_over_a_commitment);
    tcase_add_test(draw, no_setting_in_force_samples_every_commitment_claim);
    tcase_add_test(draw, the_draw_is_reproduced_from_the_recorded_seed);
    tcase_add_test(draw, every_claim_above_the_amount_is_sampled);
    tcase_add_test(draw, the_most_specific_newest_setting_applies);
    tcase_add_test(draw, sampling_set_refuses_bad_arguments);
    suite_add_tcase(s, draw);
    TCase *verify = tcase_create("verify");
    tcase_set_timeout(verify, 120);
    tcase_add_test(verify, a_sampled_claim_is_paid_only_once_confirmed);
    tcase_add_test(verify, a_false_commitment_is_rejected_and_flagged_for_clawback);
    tcase_add_test(verify, a_resubmission_keeps_the_first_draw);
    tcase_add_test(verify, verification_refusals);
    suite_add_tcase(s, verify);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
