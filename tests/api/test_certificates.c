/* API tier: a certificate is paid once (S12) — the same number under another occupation
 * spelling or in lower case, by another person, 16 people at once; one live claim of each
 * subsidy kind (Jiaxing's appraisal subsidy beside the training subsidy); a withdrawal frees
 * the place. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], worker[64], other[64], jx_worker[64], enterprise[64];
static char id_a[19], id_b[19], id_c[19]; /* the three applicants: an applicant is their ID */

#define ENT_ZS "91330900MA28K1234U"
#define ZS(occupation, number)                                                                     \
    "{\"region\":\"330902\",\"submit\":true,\"claim\":{\"kind\":\"certificate_training\","         \
    "\"occupation\":\"" occupation "\",\"level\":\"level4\",\"certificate\":{\"kind\":"            \
    "\"qualification\",\"number\":\"" number "\",\"issue_date\":\"2020-06-30\"},"                  \
    "\"actual_cost_fen\":160000}}"

static long code_of(const struct th_reply *r)
{
    return r->json ? (long)json_integer_value(json_object_get(r->json, "code")) : -1;
}

static long long submit(const char *token, const char *key, const char *body, long status,
                        long code)
{
    struct th_reply r = th_write(&d, "POST", "/v1/claims", token, key, body);
    ck_assert_msg(r.status == status, "%s: %ld %s", key, r.status, r.body);
    if (code)
        ck_assert_msg(code_of(&r) == code, "%s: code %ld, not %ld: %s", key, code_of(&r), code,
                      r.body);
    long long id = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    return id;
}

static long live_on(const char *number)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM claim c JOIN certificate k ON k.id = c.certificate_id"
             " WHERE k.number = '%s' AND claim_state_live(c.state)",
             number);
    return th_count(&pg, sql);
}

START_TEST(same_number_other_spelling_same_person)
{
    long long id = submit(worker, "a-1", ZS("6-18-02-04", "ZS-C-1"), 201, 0);
    ck_assert(id > 0);
    /* the same occupation spelled without zeros, the number in lower case: the same claim */
    submit(worker, "a-2", ZS("6-18-2-4", "zs-c-1"), 409, 4002);
    /* another occupation on the same certificate: the certificate is used */
    submit(worker, "a-3", ZS("6-18-02-05", "zs-c-1"), 409, 4040);
    ck_assert_int_eq(live_on("ZS-C-1"), 1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM claim WHERE occupation = '6-18-02-04'"
                                   " AND input->'claim'->>'occupation' = '6-18-02-04'"),
                     1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM claim WHERE occupation <> "
                                   "'6-18-02-04'"),
                     0);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM certificate WHERE number = 'ZS-C-1'"), 1);
}
END_TEST

START_TEST(same_number_another_person)
{
    submit(other, "b-1", ZS("6-18-02-09", "ZS-C-1"), 409, 4041);
    submit(other, "b-2", ZS("6-18-02-09", " ZS-C-1"), 422, 0); /* a space is not a number */
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM claim c JOIN person p ON p.id ="
                                   " c.person_id WHERE p.owner_subject = 'w-2'"),
                     0);
    /* a draft is not judged and holds nothing; its submission is refused the same way */
    struct th_reply r = th_write(&d, "POST", "/v1/claims", other, "b-3",
                                 "{\"region\":\"330902\",\"claim\":{\"kind\":"
                                 "\"certificate_training\",\"occupation\":\"6-18-02-09\","
                                 "\"level\":\"level4\",\"certificate\":{\"kind\":\"qualification\","
                                 "\"number\":\"ZS-C-1\",\"issue_date\":\"2020-06-30\"},"
                                 "\"actual_cost_fen\":160000}}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    long long draft = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    char path[64];
    snprintf(path, sizeof path, "/v1/claims/%lld/submit", draft);
    r = th_write(&d, "POST", path, other, "b-4", "{}");
    ck_assert_msg(r.status == 409 && code_of(&r) == 4041, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    ck_assert_int_eq(live_on("ZS-C-1"), 1);
}
END_TEST

START_TEST(withdraw_frees_the_certificate)
{
    char *text = th_sql(&pg, "SELECT c.id FROM claim c JOIN certificate k ON k.id ="
                             " c.certificate_id WHERE k.number = 'ZS-C-1'");
    char path[64];
    snprintf(path, sizeof path, "/v1/claims/%s/withdraw", text);
    free(text);
    struct th_reply r = th_write(&d, "POST", path, worker, "a-w", "{\"reason\":\"证书填错\"}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    ck_assert_int_eq(live_on("ZS-C-1"), 0);
    /* the owner may use it again, for another occupation now */
    submit(worker, "a-4", ZS("6-18-02-05", "ZS-C-1"), 201, 0);
    ck_assert_int_eq(live_on("ZS-C-1"), 1);
    /* it is still the owner's: another person is refused */
    submit(other, "b-5", ZS("6-18-02-09", "ZS-C-1"), 409, 4041);
}
END_TEST

/* S12 in parallel: 16 people, one certificate, exactly one live claim. */
START_TEST(one_certificate_sixteen_people_at_once)
{
    static struct th_shot shots[16];
    static char keys[16][32], ids[16][19];
    const char *insured[16];
    for (int i = 0; i < 16; i++) {
        th_resident_id(ids[i], "330902", 1985, 700 + (unsigned)i);
        insured[i] = ids[i];
    }
    ck_assert(th_insure(&d, admin, ENT_ZS, insured, 16, "2019-01-01")); /* the enterprise's own */
    for (int i = 0; i < 16; i++) {
        const char *id = ids[i];
        snprintf(keys[i], sizeof keys[i], "s12-%d", i);
        shots[i] = (struct th_shot){&d, "POST", "/v1/claims", enterprise, NULL, "", {0}};
        shots[i].key = keys[i];
        snprintf(shots[i].body, sizeof shots[i].body,
                 "{\"region\":\"330902\",\"submit\":true,\"employee\":{\"id_number\":\"%s\","
                 "\"name\":\"员工\"},\"claim\":{\"kind\":\"certificate_training\",\"occupation\":"
                 "\"%s\",\"level\":\"level4\",\"certificate\":{\"kind\":\"qualification\","
                 "\"number\":\"%s\",\"issue_date\":\"2020-06-30\"},\"actual_cost_fen\":100000}}",
                 id, i % 2 ? "6-18-2-4" : "6-18-02-04", i % 2 ? "s12-cert" : "S12-CERT");
    }
    th_write_all(shots, 16);
    int granted = 0, held = 0;
    for (int i = 0; i < 16; i++) {
        if (shots[i].reply.status == 201)
            granted++;
        else if (shots[i].reply.status == 409 && code_of(&shots[i].reply) == 4041)
            held++;
        else
            ck_abort_msg("%d: unexpected %ld %s", i, shots[i].reply.status, shots[i].reply.body);
        th_reply_free(&shots[i].reply);
    }
    ck_assert_int_eq(granted, 1);
    ck_assert_int_eq(held, 15);
    ck_assert_int_eq(live_on("S12-CERT"), 1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM certificate WHERE number = 'S12-CERT'"),
                     1);
}
END_TEST

/* Jiaxing pays the appraisal subsidy (五(十一)) beside the training subsidy for one certificate:
 * one live claim of each kind. */
START_TEST(appraisal_and_training_on_one_certificate)
{
    const char *claim = "{\"region\":\"330402\",\"submit\":true,\"claim\":{\"kind\":\"%s\","
                        "\"occupation\":\"6-18-02-04\",\"level\":\"level4\",\"certificate\":{"
                        "\"kind\":\"qualification\",\"number\":\"JX2020000001\",\"issue_date\":"
                        "\"2020-06-30\"}}}";
    char body[512];
    snprintf(body, sizeof body, claim, "certificate_training");
    submit(jx_worker, "jx-1", body, 201, 0);
    snprintf(body, sizeof body, claim, "appraisal");
    submit(jx_worker, "jx-2", body, 201, 0);
    ck_assert_int_eq(live_on("JX2020000001"), 2);
    /* a second appraisal claim on it is refused */
    snprintf(body, sizeof body,
             "{\"region\":\"330402\",\"submit\":true,\"claim\":{\"kind\":\"appraisal\","
             "\"occupation\":\"6-18-02-05\",\"level\":\"level4\",\"certificate\":{\"kind\":"
             "\"qualification\",\"number\":\"JX2020000001\",\"issue_date\":\"2020-06-30\"}}}");
    submit(jx_worker, "jx-3", body, 409, 4040);
    ck_assert_int_eq(live_on("JX2020000001"), 2);
}
END_TEST

/* Kinds without an occupation: a seafarer's certificate needs none, and "the same occupation
 * and level once" compares kind and variant, held by the database's index on the stored key. */
START_TEST(seafarer_claims_by_kind_and_variant)
{
    const char *claim = "{\"region\":\"330902\",\"submit\":true,\"claim\":{\"kind\":"
                        "\"seafarer\",\"variant\":\"%s\",\"certificate\":{\"kind\":\"seafarer\","
                        "\"number\":\"%s\",\"issue_date\":\"2020-06-30\"},\"actual_cost_fen\":"
                        "70000}}";
    char body[512];
    snprintf(body, sizeof body, claim, "basic_safety", "SEA-1");
    submit(other, "sea-1", body, 201, 0);
    snprintf(body, sizeof body, claim, "basic_safety", "SEA-2");
    submit(other, "sea-2", body, 409, 4002);
    snprintf(body, sizeof body, claim, "ordinary_crew", "SEA-3");
    submit(other, "sea-3", body, 201, 0);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM claim WHERE kind = 'seafarer' AND"
                                   " occupation IS NULL AND unique_occupation_level AND same_key IN"
                                   " ('seafarer/basic_safety', 'seafarer/ordinary_crew')"),
                     2);
    /* occupational kinds keep (occupation, level) as their key */
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM claim WHERE kind ="
                                   " 'certificate_training' AND unique_occupation_level AND"
                                   " same_key <> occupation || '/' || level"),
                     0);
}
END_TEST

static bool setup_ok(void)
{
    char body[3][256];
    snprintf(body[0], sizeof body[0],
             "{\"id_number\":\"%s\",\"name\":\"张三\",\"hukou_region\":\"330902\"}", id_a);
    snprintf(body[1], sizeof body[1],
             "{\"id_number\":\"%s\",\"name\":\"李四\",\"hukou_region\":\"330902\"}", id_b);
    snprintf(body[2], sizeof body[2],
             "{\"id_number\":\"%s\",\"name\":\"王五\",\"hukou_region\":\"330402\"}", id_c);
    const char *tokens[3] = {worker, other, jx_worker};
    bool ok = true;
    for (int i = 0; i < 3; i++) {
        char key[16];
        snprintf(key, sizeof key, "pf-%d", i);
        struct th_reply r = th_write(&d, "PUT", "/v1/profile", tokens[i], key, body[i]);
        if (r.status != 200)
            fprintf(stderr, "profile %d: %ld %s\n", i, r.status, r.body), ok = false;
        th_reply_free(&r);
    }
    struct th_reply r = th_write(&d, "PUT", "/v1/admin/enterprises/" ENT_ZS, admin, "ent",
                                 "{\"name\":\"舟山示范企业\",\"region\":\"330902\"}");
    if (r.status != 201)
        fprintf(stderr, "enterprise: %ld %s\n", r.status, r.body), ok = false;
    th_reply_free(&r);
    r = th_write(&d, "POST", "/v1/admin/catalogs", admin, "cat",
                 "{\"policy\":\"jiaxing-2019\",\"year\":2020,\"effective_from\":\"2020-01-01\","
                 "\"source\":\"嘉兴市2020年职业技能培训补贴目录\",\"entries\":[{\"occupation\":"
                 "\"6-18-02-04\",\"occupation_name\":\"焊工\",\"level\":\"level4\","
                 "\"standard_fen\":150000}]}");
    if (r.status != 201)
        fprintf(stderr, "catalog: %ld %s\n", r.status, r.body), ok = false;
    th_reply_free(&r);
    return ok;
}

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_resident_id(id_a, "330902", 1990, 11);
    th_resident_id(id_b, "330902", 1991, 12);
    th_resident_id(id_c, "330402", 1985, 13);
    th_token(&pg, "applicant", id_a, NULL, worker);
    th_token(&pg, "applicant", id_b, NULL, other);
    th_token(&pg, "applicant", id_c, NULL, jx_worker);
    th_token(&pg, "enterprise", ENT_ZS, NULL, enterprise);
    if (!setup_ok()) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("certificates");
    TCase *tc = tcase_create("certificates");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, same_number_other_spelling_same_person);
    tcase_add_test(tc, same_number_another_person);
    tcase_add_test(tc, withdraw_frees_the_certificate);
    tcase_add_test(tc, one_certificate_sixteen_people_at_once);
    tcase_add_test(tc, appraisal_and_training_on_one_certificate);
    tcase_add_test(tc, seafarer_claims_by_kind_and_variant);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    int st = th_finish(&pg, &d);
    return failed || st ? 1 : 0;
}
