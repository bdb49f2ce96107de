/* API tier: the guards of a claim that only the database, the key's owner or the list query hold
 * (issue 11, "First, tests that would notice"), through the real daemon:
 * - "the same occupation and level once" for a person who already exists, so that no insert of
 *   the person serialises the racing submissions and the unique index is what stops them (R2);
 * - an Idempotency-Key belongs to its caller (role and subject): two applicants, or two
 *   enterprises, with the same key get a claim each and their own reply (R3);
 * - an employee known before is judged on the row held, not on what the enterprise sends now
 *   (the submission reads the context with the row in one round trip, on the body's person
 *   first, and must notice when the row says otherwise) (R4).
 * The list's filters are test_claims_list.c's. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64];

#define ENT_A "91330900MA28K1234U"
#define ENT_B "91330900MA28K56780"

/* The people of these tests: applicants with a profile, and employees of the two enterprises. */
enum { APPLICANTS = 8, EMPLOYEES = 8 };
static char applicant_id[APPLICANTS][19], applicant[APPLICANTS][64];
static char employee_id[EMPLOYEES][19];
static char ent_a[64], ent_b[64];

static long code_of(const struct th_reply *r)
{
    return r->json ? (long)json_integer_value(json_object_get(r->json, "code")) : -1;
}

static long long id_of(const struct th_reply *r)
{
    return json_integer_value(json_object_get(r->json, "id"));
}

static const char *masked_of(const struct th_reply *r)
{
    return json_string_value(
        json_object_get(json_object_get(r->json, "person"), "id_number_masked"));
}

/* "330902********1238" for an ID number. */
static void mask(const char *id, char out[19])
{
    snprintf(out, 19, "%.6s********%.4s", id, id + 14);
}

/* A claim body: a certificate training claim of occupation and year with certificate number no;
 * employee (NULL for an applicant's own claim) names the person an enterprise claims for;
 * kind other than certificate_training makes a draft of that kind with nothing else. */
static void claim_body(char *out, size_t len, const char *employee, bool submit, const char *kind,
                       const char *occupation, int year, const char *no)
{
    char who[160] = "";
    if (employee)
        snprintf(who, sizeof who, "\"employee\":{\"id_number\":\"%s\",\"name\":\"员工\"},",
                 employee);
    if (strcmp(kind, "certificate_training") != 0) {
        snprintf(out, len, "{\"region\":\"330902\",%s\"claim\":{\"kind\":\"%s\"}}", who, kind);
        return;
    }
    snprintf(out, len,
             "{\"region\":\"330902\",\"submit\":%s,%s\"claim\":{\"kind\":\"certificate_training\","
             "\"occupation\":\"%s\",\"level\":\"level4\",\"certificate\":{\"kind\":"
             "\"qualification\",\"number\":\"%s\",\"issue_date\":\"%d-03-01\"},"
             "\"actual_cost_fen\":100000}}",
             submit ? "true" : "false", who, occupation, no, year);
}

/* ---- R2: the same occupation and level once, for a person who already exists ---- */

/* 16 submissions at once of the same occupation and level for the person of token (an existing
 * one), each with its own certificate and key: exactly one claim, 15 × 409 duplicate (4002),
 * and one live claim of that key in the database. */
static void race_one(const char *token, const char *employee, const char *tag)
{
    static struct th_shot shots[16];
    static char keys[16][48];
    for (int i = 0; i < 16; i++) {
        char no[32];
        snprintf(keys[i], sizeof keys[i], "race-%s-%d", tag, i);
        snprintf(no, sizeof no, "RACE-%s-%d", tag, i);
        shots[i] = (struct th_shot){&d, "POST", "/v1/claims", token, keys[i], "", {0}};
        claim_body(shots[i].body, sizeof shots[i].body, employee, true, "certificate_training",
                   "6-18-02-04", 2021, no);
    }
    th_write_all(shots, 16);
    int granted = 0, duplicate = 0;
    long long person = 0;
    const struct th_reply *other = NULL;
    for (int i = 0; i < 16; i++) {
        const struct th_reply *r = &shots[i].reply;
        if (r->status == 201) {
            granted++;
            char sql[128];
            snprintf(sql, sizeof sql, "SELECT person_id FROM claim WHERE id = %lld", id_of(r));
            person = th_count(&pg, sql);
        } else if (r->status == 409 && code_of(r) == 4002) {
            duplicate++;
        } else if (!other) {
            other = r;
        }
    }
    ck_assert_msg(granted == 1, "%s: %d claims granted for one occupation and level", tag, granted);
    ck_assert_msg(duplicate == 15, "%s: %d duplicates; another reply: %ld %s", tag, duplicate,
                  other ? other->status : 0L, other ? other->body : "");
    for (int i = 0; i < 16; i++)
        th_reply_free(&shots[i].reply);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM claim WHERE person_id = %lld AND same_key = '6-18-02-04/level4'"
             " AND claim_state_live(state)",
             person);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    snprintf(sql, sizeof sql, "SELECT used FROM claim_quota WHERE person_id = %lld AND year = 2021",
             person);
    ck_assert_int_eq(th_count(&pg, sql), 1);
}

START_TEST(same_occupation_level_race_existing_person)
{
    long people = th_count(&pg, "SELECT count(*) FROM person");
    /* applicants registered long before (their profiles, in main) */
    race_one(applicant[0], NULL, "a0");
    race_one(applicant[1], NULL, "a1");
    /* an enterprise's employees, made persons by an earlier draft of another occupation */
    for (int e = 0; e < 2; e++) {
        char body[1024], key[32], tag[8];
        snprintf(key, sizeof key, "race-draft-%d", e);
        claim_body(body, sizeof body, employee_id[e], false, "certificate_training", "6-18-04-50",
                   2021, "DRAFT");
        struct th_reply r = th_write(&d, "POST", "/v1/claims", ent_a, key, body);
        ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
        th_reply_free(&r);
        snprintf(tag, sizeof tag, "e%d", e);
        race_one(ent_a, employee_id[e], tag);
    }
    /* no person was made by the races themselves */
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM person"), people + 2);
}
END_TEST

/* ---- R3: the key is the caller's ---- */

START_TEST(same_key_two_applicants)
{
    char body[1024];
    claim_body(body, sizeof body, NULL, false, "certificate_training", "6-18-02-05", 2021,
               "SK-APPL");
    struct th_reply one = th_write(&d, "POST", "/v1/claims", applicant[2], "shared-key", body);
    struct th_reply two = th_write(&d, "POST", "/v1/claims", applicant[3], "shared-key", body);
    ck_assert_msg(one.status == 201, "%ld %s", one.status, one.body);
    ck_assert_msg(two.status == 201, "%ld %s", two.status, two.body);
    ck_assert_ptr_null(th_header(&two, "idempotent-replayed"));
    ck_assert_int_ne(id_of(&one), id_of(&two));
    char m2[19], m3[19];
    mask(applicant_id[2], m2);
    mask(applicant_id[3], m3);
    ck_assert_str_eq(masked_of(&one), m2);
    ck_assert_str_eq(masked_of(&two), m3);
    /* each replay is its own caller's first reply */
    struct th_reply again = th_write(&d, "POST", "/v1/claims", applicant[3], "shared-key", body);
    ck_assert_int_eq(again.status, 201);
    ck_assert_str_eq(again.body, two.body);
    ck_assert_str_eq(th_header(&again, "idempotent-replayed"), "true");
    th_reply_free(&again);
    again = th_write(&d, "POST", "/v1/claims", applicant[2], "shared-key", body);
    ck_assert_str_eq(again.body, one.body);
    th_reply_free(&again);
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT count(DISTINCT person_id) FROM claim WHERE id IN (%lld, %lld)"
             " AND owner_role = 'applicant'",
             id_of(&one), id_of(&two));
    ck_assert_int_eq(th_count(&pg, sql), 2);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM claim WHERE input->'claim'->"
                                   "'certificate'->>'number' = 'SK-APPL'"),
                     2);
    th_reply_free(&one);
    th_reply_free(&two);
}
END_TEST

START_TEST(same_key_two_enterprises)
{
    /* the same body from both (a draft for the same employee), then another body each */
    char body[1024];
    claim_body(body, sizeof body, employee_id[2], false, "certificate_training", "6-18-02-05", 2021,
               "SK-ENT");
    for (int round = 0; round < 2; round++) {
        const char *key = round ? "shared-key-ent-2" : "shared-key-ent";
        struct th_reply one = th_write(&d, "POST", "/v1/claims", ent_a, key, body);
        if (round)
            claim_body(body, sizeof body, employee_id[3], false, "certificate_training",
                       "6-18-02-07", 2021, "SK-ENT-B");
        struct th_reply two = th_write(&d, "POST", "/v1/claims", ent_b, key, body);
        ck_assert_msg(one.status == 201, "%ld %s", one.status, one.body);
        ck_assert_msg(two.status == 201, "round %d: %ld %s", round, two.status, two.body);
        ck_assert_ptr_null(th_header(&two, "idempotent-replayed"));
        ck_assert_int_ne(id_of(&one), id_of(&two));
        ck_assert_str_eq(json_string_value(
                             json_object_get(json_object_get(one.json, "filed_by"), "credit_code")),
                         ENT_A);
        ck_assert_str_eq(json_string_value(
                             json_object_get(json_object_get(two.json, "filed_by"), "credit_code")),
                         ENT_B);
        char sql[200];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM claim WHERE (id = %lld AND owner_subject = '" ENT_A "')"
                 " OR (id = %lld AND owner_subject = '" ENT_B "')",
                 id_of(&one), id_of(&two));
        ck_assert_int_eq(th_count(&pg, sql), 2);
        th_reply_free(&one);
        th_reply_free(&two);
    }
}
END_TEST

/* 16 copies of one request with one key at once (an applicant: the person exists, so that only
 * the key makes the copies wait for the first): one claim, and every reply the first's, byte
 * for byte, 15 of them replayed.  Without the key's lock (migration 0019) the copies run side by
 * side and the unique index refuses them 409 instead. */
START_TEST(same_key_in_parallel)
{
    static struct th_shot shots[16];
    for (int i = 0; i < 16; i++) {
        shots[i] = (struct th_shot){&d, "POST", "/v1/claims", applicant[4], "one-key", "", {0}};
        claim_body(shots[i].body, sizeof shots[i].body, NULL, true, "certificate_training",
                   "6-18-02-04", 2021, "PAR-1");
    }
    th_write_all(shots, 16);
    int replayed = 0;
    for (int i = 0; i < 16; i++) {
        const struct th_reply *r = &shots[i].reply;
        ck_assert_msg(r->status == 201, "copy %d: %ld %s", i, r->status, r->body);
        ck_assert_str_eq(r->body, shots[0].reply.body);
        replayed += th_header(r, "idempotent-replayed") != NULL;
    }
    ck_assert_int_eq(replayed, 15);
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM claim WHERE id = %lld", id_of(&shots[0].reply));
    ck_assert_int_eq(th_count(&pg, sql), 1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM idempotency WHERE key = 'one-key'"), 1);
    for (int i = 0; i < 16; i++)
        th_reply_free(&shots[i].reply);
}
END_TEST

/* ---- R4: the row held, not the body ---- */

START_TEST(employee_judged_on_the_row_held)
{
    /* a draft makes the employee a person working and registered in Ningbo (330203) */
    char body[1024];
    const char *employee = employee_id[4];
    snprintf(body, sizeof body,
             "{\"region\":\"330902\",\"employee\":{\"id_number\":\"%s\",\"name\":\"员工\","
             "\"hukou_region\":\"330203\",\"employment_region\":\"330203\"},"
             "\"claim\":{\"kind\":\"certificate_training\"}}",
             employee);
    struct th_reply r = th_write(&d, "POST", "/v1/claims", ent_a, "held-draft", body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    /* sent now without regions, the employee would work in Zhoushan (the enterprise's region)
     * and qualify; the row held says Ningbo: not resident (二(八)), refused */
    claim_body(body, sizeof body, employee, true, "certificate_training", "6-18-02-04", 2021,
               "HELD-1");
    r = th_write(&d, "POST", "/v1/claims", ent_a, "held-submit", body);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert_msg(strstr(r.body, "residency_not_met"), "%s", r.body);
    th_reply_free(&r);
    /* the same for another employee, new: no row held, judged as sent, granted */
    claim_body(body, sizeof body, employee_id[5], true, "certificate_training", "6-18-02-04", 2021,
               "HELD-2");
    r = th_write(&d, "POST", "/v1/claims", ent_a, "held-new", body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    th_reply_free(&r);
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_token(&pg, "enterprise", ENT_A, NULL, ent_a);
    th_token(&pg, "enterprise", ENT_B, NULL, ent_b);
    bool ok =
        th_enterprise(&d, admin, ENT_A, "330902") && th_enterprise(&d, admin, ENT_B, "330902");
    const char *ids[EMPLOYEES];
    for (int i = 0; i < EMPLOYEES; i++) {
        th_resident_id(employee_id[i], "330902", 1988, 300 + (unsigned)i);
        ids[i] = employee_id[i];
    }
    ok = ok && th_insure(&d, admin, ENT_A, ids, EMPLOYEES, "2019-01-01") &&
         th_insure(&d, admin, ENT_B, ids, EMPLOYEES, "2019-01-01");
    for (int i = 0; ok && i < APPLICANTS; i++) {
        th_resident_id(applicant_id[i], "330902", 1990, 200 + (unsigned)i);
        th_token(&pg, "applicant", applicant_id[i], NULL, applicant[i]);
        ok = th_profile(&d, applicant[i], applicant_id[i], "330902");
    }
    if (!ok) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("guards");
    TCase *tc = tcase_create("guards");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, same_occupation_level_race_existing_person);
    tcase_add_test(tc, same_key_two_applicants);
    tcase_add_test(tc, same_key_two_enterprises);
    tcase_add_test(tc, employee_judged_on_the_row_held);
    tcase_add_test(tc, same_key_in_parallel);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
