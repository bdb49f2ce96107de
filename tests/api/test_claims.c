/* API tier: claims (issue 5) — profiles with sealed, masked personal data; a claim's life
 * (draft, edit, submit, withdraw) with its timeline and audit rows; submission judged on what
 * the database holds (catalog, trade-friction listing, earlier claims); every problem at once;
 * the quota and uniqueness invariants under concurrency (R1, R2); idempotent replays (R3, R4);
 * bad input (S2), object-level authorization (S6) and mass assignment (S7). */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], worker[64], other_worker[64], enterprise[64], approver[64], far_approver[64],
    institution[64], nb_worker[64], unregistered[64];
static char *worker_subject; /* the keyed hash of WORKER_ID, as the token keeps it */
static char other_id[19], nb_id[19];

#define WORKER_ID "330902199001011238"
#define ENT_ZS    "91330900MA28K1234U"
#define ZS_CLAIM_L(occupation, level, no)                                                          \
    "{\"kind\":\"certificate_training\",\"occupation\":\"" occupation "\",\"level\":\"" level      \
    "\",\"certificate\":{\"kind\":\"qualification\",\"number\":\"" no                              \
    "\",\"issue_date\":\"2020-06-30\"},\"actual_cost_fen\":160000}"
#define ZS_CLAIM(no) ZS_CLAIM_L("6-18-02-04", "level4", no)

static long code_of(const struct th_reply *r)
{
    return r->json ? (long)json_integer_value(json_object_get(r->json, "code")) : -1;
}

/* Is a rule problem of this code among the reply's problems? */
static bool has_rule_problem(const struct th_reply *r, const char *code)
{
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(r->json, "problems"), i, p)
    {
        if (strcmp(json_string_value(json_object_get(p, "code")) ?: "", code) == 0)
            return true;
    }
    return false;
}

static struct th_reply create(const char *token, const char *key, const char *body)
{
    return th_write(&d, "POST", "/v1/claims", token, key, body);
}

static long long id_of(const struct th_reply *r)
{
    return json_integer_value(json_object_get(r->json, "id"));
}

/* ---- profiles ---- */

START_TEST(profile_bad_fields_all_named)
{
    struct th_reply r = th_write(&d, "PUT", "/v1/profile", other_worker, "pf-bad",
                                 "{\"id_number\":\"330902199001011230\",\"name\":\"李四\","
                                 "\"phone\":\"1234\",\"hukou_region\":\"999999\","
                                 "\"groups\":[{\"group\":\"astronaut\",\"evidence\":\"x\"}]}");
    ck_assert_int_eq(r.status, 422);
    ck_assert(th_problem_has_field(&r, "id_number"));
    ck_assert(th_problem_has_field(&r, "phone"));
    ck_assert(th_problem_has_field(&r, "hukou_region"));
    ck_assert(th_problem_has_field(&r, "groups[0].group"));
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM person"), 1);
}
END_TEST

START_TEST(profile_masked_and_reveal_audited)
{
    struct th_reply r = th_http(&d, "GET", "/v1/profile", worker, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "id_number_masked")),
                     "330902********1238");
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "phone_masked")), "138****5678");
    ck_assert_ptr_null(strstr(r.body, WORKER_ID));
    ck_assert_ptr_null(strstr(r.body, "13812345678"));
    th_reply_free(&r);
    long before = th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'person.reveal'");
    r = th_http(&d, "GET", "/v1/profile?reveal=true", worker, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "id_number")), WORKER_ID);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "phone")), "13812345678");
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'person.reveal'"),
                     before + 1);
    /* stored sealed, never in clear; never in the log */
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM person WHERE position('" WORKER_ID
                                   "' IN encode(id_sealed, 'escape')) > 0"),
                     0);
    ck_assert(!th_log_contains(&d, WORKER_ID));
    r = th_http(&d, "GET", "/v1/profile?reveal=maybe", worker, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 400);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/profile", other_worker, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
}
END_TEST

START_TEST(profile_id_number_is_one_person)
{
    /* another applicant cannot register the same ID number: an applicant's profile is the ID
     * number of its own token (S11), so nobody can take a person before they come */
    struct th_reply r = th_write(&d, "PUT", "/v1/profile", other_worker, "pf-dup",
                                 "{\"id_number\":\"" WORKER_ID "\",\"name\":\"冒名\"}");
    ck_assert_int_eq(r.status, 422);
    ck_assert(th_problem_has_field(&r, "id_number"));
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM person WHERE name = '冒名'"), 0);
    /* the profile's owner is the token's subject: the same keyed hash as the person's */
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM person WHERE owner_subject = '%s'"
             " AND owner_subject = encode(id_hash, 'hex')",
             worker_subject);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    /* and the owner cannot change theirs */
    char id[19];
    th_resident_id(id, "330902", 1990, 990);
    char body[200];
    snprintf(body, sizeof body, "{\"id_number\":\"%s\",\"name\":\"张三\"}", id);
    r = th_write(&d, "PUT", "/v1/profile", worker, "pf-change", body);
    ck_assert_int_eq(r.status, 422);
    ck_assert(th_problem_has_field(&r, "id_number"));
    th_reply_free(&r);
}
END_TEST

/* A lower-case x check character is accepted and stored as GB 11643 writes it, X: the same
 * person as the upper-case spelling. */
START_TEST(profile_lower_case_x_stored_upper_case)
{
    char id[19];
    unsigned serial = 500;
    do
        th_resident_id(id, "330902", 1985, serial++);
    while (id[17] != 'X');
    char lower[19];
    memcpy(lower, id, sizeof lower);
    lower[17] = 'x';
    char token[64], other[64], body[200];
    /* the applicant is the person of that number, however the x is written */
    th_token(&pg, "applicant", lower, NULL, token);
    th_token(&pg, "applicant", id, NULL, other);
    long people = th_count(&pg, "SELECT count(*) FROM person");
    snprintf(body, sizeof body, "{\"id_number\":\"%s\",\"name\":\"李四\"}", lower);
    struct th_reply r = th_write(&d, "PUT", "/v1/profile", token, "pf-x", body);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/profile?reveal=true", token, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "id_number")), id);
    const char *masked = json_string_value(json_object_get(r.json, "id_number_masked"));
    ck_assert_int_eq(masked[17], 'X');
    th_reply_free(&r);
    /* the upper-case spelling is the same person: the same profile, no second row */
    snprintf(body, sizeof body, "{\"id_number\":\"%s\",\"name\":\"李四\"}", id);
    r = th_write(&d, "PUT", "/v1/profile", other, "pf-x-upper", body);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM person"), people + 1);
}
END_TEST

/* ---- a claim's life ---- */

START_TEST(draft_edit_submit_withdraw)
{
    struct th_reply r =
        create(worker, "life-1", "{\"region\":\"330902\",\"claim\":" ZS_CLAIM("ZS-L1") "}");
    ck_assert_int_eq(r.status, 201);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "draft");
    ck_assert_str_eq(
        json_string_value(json_object_get(json_object_get(r.json, "person"), "id_number_masked")),
        "330902********1238");
    long long id = id_of(&r);
    th_reply_free(&r);
    char path[96], sub[96], wd[96];
    snprintf(path, sizeof path, "/v1/claims/%lld", id);
    snprintf(sub, sizeof sub, "/v1/claims/%lld/submit", id);
    snprintf(wd, sizeof wd, "/v1/claims/%lld/withdraw", id);

    r = th_write(
        &d, "PATCH", path, worker, "life-2",
        "{\"region\":\"330902\",\"claim\":" ZS_CLAIM_L("6-18-02-05", "level4", "ZS-L1") "}");
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "occupation")), "6-18-02-05");
    th_reply_free(&r);

    r = th_write(&d, "POST", sub, worker, "life-3", NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "submitted");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "amount_fen")), 120000);
    ck_assert_ptr_nonnull(json_string_value(json_object_get(r.json, "review_due")));
    json_t *decision = json_object_get(r.json, "decision");
    ck_assert(json_is_true(json_object_get(decision, "eligible")));
    ck_assert_str_eq(
        json_string_value(json_object_get(json_object_get(decision, "trace"), "policy_id")),
        "zhoushan-2019");
    th_reply_free(&r);
    char quota_sql[256];
    snprintf(quota_sql, sizeof quota_sql,
             "SELECT used FROM claim_quota q JOIN person p ON p.id = q.person_id"
             " WHERE p.owner_subject = '%s' AND q.year = 2020",
             worker_subject);
    ck_assert_int_eq(th_count(&pg, quota_sql), 1);

    /* an edit after submission is refused */
    r = th_write(&d, "PATCH", path, worker, "life-4",
                 "{\"region\":\"330902\",\"claim\":" ZS_CLAIM("ZS-L1") "}");
    ck_assert_int_eq(r.status, 409);
    ck_assert_int_eq(code_of(&r), 4004);
    th_reply_free(&r);

    r = th_write(&d, "POST", wd, worker, "life-5", "{\"reason\":\"报错了职业\"}");
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "withdrawn");
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, quota_sql), 0);
    r = th_write(&d, "POST", wd, worker, "life-6", "{}");
    ck_assert_int_eq(r.status, 409);
    th_reply_free(&r);

    /* the timeline: every step, who, what, why, which rule version */
    r = th_http(&d, "GET", path, worker, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    json_t *tl = json_object_get(r.json, "timeline");
    ck_assert_int_eq(json_array_size(tl), 4);
    const char *actions[] = {"create", "edit", "submit", "withdraw"};
    for (int i = 0; i < 4; i++) {
        json_t *e = json_array_get(tl, (size_t)i);
        ck_assert_str_eq(json_string_value(json_object_get(e, "action")), actions[i]);
        ck_assert_str_eq(json_string_value(json_object_get(e, "actor_role")), "applicant");
    }
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(tl, 3), "reason")),
                     "报错了职业");
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_object_get(json_array_get(tl, 2), "policy"), "version")),
                     1);
    ck_assert_ptr_null(strstr(r.body, WORKER_ID));
    th_reply_free(&r);
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit WHERE object_kind = 'claim' AND object_id = '%lld'", id);
    ck_assert_int_eq(th_count(&pg, sql), 4);
}
END_TEST

START_TEST(every_problem_at_once_nothing_written)
{
    long before = th_count(&pg, "SELECT count(*) FROM claim");
    /* level3 needs a shortage occupation from the catalog, and there is no catalog entry; the
     * training is too short for the hours asked and the certificate has no number */
    struct th_reply r = create(
        worker, "bad-1",
        "{\"region\":\"330902\",\"submit\":true,\"claim\":{\"kind\":\"certificate_training\","
        "\"occupation\":\"6-18-02-09\",\"level\":\"level3\",\"certificate\":{\"kind\":"
        "\"qualification\",\"issue_date\":\"2020-06-30\"},\"actual_cost_fen\":160000}}");
    ck_assert_int_eq(r.status, 422);
    ck_assert_int_eq(code_of(&r), 4000);
    json_t *problems = json_object_get(r.json, "problems");
    ck_assert_int_ge(json_array_size(problems), 2);
    size_t i;
    json_t *p;
    json_array_foreach(problems, i, p)
    {
        ck_assert_ptr_nonnull(json_string_value(json_object_get(p, "message_zh")));
        ck_assert_ptr_nonnull(json_string_value(json_object_get(p, "message_en")));
    }
    ck_assert(has_rule_problem(&r, "catalog_entry_missing"));
    ck_assert(has_rule_problem(&r, "certificate_number_missing"));
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM claim"), before);
    /* the key was not used up: the corrected claim goes through under another key */
}
END_TEST

START_TEST(submission_reads_catalog_and_listing_from_the_database)
{
    /* a level3 shortage entry in a published catalog makes the level3 claim eligible, with
     * the catalog version recorded */
    struct th_reply r =
        th_write(&d, "POST", "/v1/admin/catalogs", admin, "cat-1",
                 "{\"policy\":\"zhoushan-2019\",\"year\":2020,\"effective_from\":\"2020-01-01\","
                 "\"source\":\"舟山市2020年目录\",\"entries\":[{\"occupation\":\"6-18-02-09\","
                 "\"occupation_name\":\"电工\",\"level\":\"level3\",\"standard_fen\":140000,"
                 "\"shortage\":true}]}");
    ck_assert_int_eq(r.status, 201);
    long long catalog = id_of(&r);
    th_reply_free(&r);
    /* the enterprise is on the trade-friction list: its employees' claims get the uplift,
     * though nobody asserts it in the claim */
    r = th_write(&d, "POST", "/v1/admin/trade-friction", admin, "tf-1",
                 "{\"credit_code\":\"" ENT_ZS "\",\"valid_from\":\"2019-06-01\","
                 "\"source\":\"舟政办发〔2019〕1号\"}");
    ck_assert_int_eq(r.status, 201);
    th_reply_free(&r);
    char id[19], body[1024];
    th_resident_id(id, "330902", 1990, 700);
    snprintf(body, sizeof body,
             "{\"region\":\"330902\",\"submit\":true,\"employee\":{\"id_number\":\"%s\","
             "\"name\":\"王五\",\"hukou_region\":\"330902\"},"
             "\"claim\":" ZS_CLAIM_L("6-18-02-09", "level3", "ZS-C1") "}",
             id);
    r = create(enterprise, "cat-claim", body);
    ck_assert_int_eq(r.status, 201);
    json_t *trace = json_object_get(json_object_get(r.json, "decision"), "trace");
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_object_get(trace, "catalog"), "standard_fen")),
        140000);
    ck_assert_ptr_nonnull(json_object_get(trace, "uplift"));
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(trace, "uplift"), "pct")),
                     30);
    /* min(1400 + 30 % = 1820, actual 1600) */
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "amount_fen")), 160000);
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT catalog_id FROM claim WHERE id = %lld", id_of(&r));
    ck_assert_int_eq(th_count(&pg, sql), catalog);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "owner_role")), "enterprise");
    th_reply_free(&r);
}
END_TEST

/* ---- bad input ---- */

START_TEST(bad_fields_named_together)
{
    struct th_reply r =
        create(enterprise, "s2-1",
               "{\"region\":\"330902\",\"submit\":true,"
               "\"employee\":{\"id_number\":\"330902199001011230\",\"name\":\"赵六\"},"
               "\"employer\":{\"credit_code\":\"91330900MA28K1234X\"},"
               "\"claim\":{\"kind\":\"certificate_training\",\"occupation\":\"6-18-02-04\","
               "\"level\":\"level4\",\"certificate\":{\"kind\":\"qualification\",\"number\":\"A1\","
               "\"issue_date\":\"2020-02-30\"},\"actual_cost_fen\":-5}}");
    ck_assert_int_eq(r.status, 422);
    ck_assert(th_problem_has_field(&r, "employee.id_number"));
    ck_assert(th_problem_has_field(&r, "employer.credit_code"));
    ck_assert(th_problem_has_field(&r, "claim.certificate.issue_date"));
    ck_assert(th_problem_has_field(&r, "claim.actual_cost_fen"));
    th_reply_free(&r);
    r = create(worker, "s2-2",
               "{\"region\":\"330902\",\"claim\":{\"kind\":\"certificate_training\","
               "\"actual_cost_fen\":99999999999999999}}");
    ck_assert_int_eq(r.status, 422);
    ck_assert(th_problem_has_field(&r, "claim.actual_cost_fen"));
    th_reply_free(&r);
    /* a worker cannot direct the money elsewhere */
    r = create(worker, "s2-3",
               "{\"region\":\"330902\",\"claim\":{\"kind\":\"certificate_training\","
               "\"payee\":\"enterprise\"}}");
    ck_assert_int_eq(r.status, 422);
    ck_assert(th_problem_has_field(&r, "claim.payee"));
    th_reply_free(&r);
    r = create(worker, "s2-4", "{\"region\":\"999999\",\"claim\":" ZS_CLAIM("x") "}");
    ck_assert_int_eq(r.status, 422);
    ck_assert(th_problem_has_field(&r, "region"));
    th_reply_free(&r);
    /* no profile yet */
    r = create(other_worker, "s2-5", "{\"region\":\"330902\",\"claim\":" ZS_CLAIM("x") "}");
    ck_assert_int_eq(r.status, 409);
    ck_assert_int_eq(code_of(&r), 4005);
    th_reply_free(&r);
    /* an enterprise not in the registry */
    r = create(unregistered, "s2-6",
               "{\"region\":\"330902\",\"employee\":{\"id_number\":\"" WORKER_ID "\","
               "\"name\":\"张三\",\"hukou_region\":\"330902\"},\"claim\":" ZS_CLAIM("x") "}");
    ck_assert_msg(code_of(&r) == 4007, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    /* no key */
    r = th_json(&d, "POST", "/v1/claims", worker,
                "{\"region\":\"330902\",\"claim\":" ZS_CLAIM("x") "}");
    ck_assert_int_eq(r.status, 400);
    th_reply_free(&r);
}
END_TEST

START_TEST(mass_assignment_refused)
{
    long before = th_count(&pg, "SELECT count(*) FROM claim");
    struct th_reply r = create(worker, "s7-1",
                               "{\"region\":\"330902\",\"status\":\"approved\","
                               "\"amount_fen\":999999,\"approved_by\":\"me\","
                               "\"claim\":" ZS_CLAIM("S7") "}");
    ck_assert_int_eq(r.status, 400);
    ck_assert(th_problem_has_field(&r, "status"));
    ck_assert(th_problem_has_field(&r, "amount_fen"));
    ck_assert(th_problem_has_field(&r, "approved_by"));
    th_reply_free(&r);
    r = create(worker, "s7-2",
               "{\"region\":\"330902\",\"claim\":{\"kind\":\"certificate_training\","
               "\"state\":\"approved\"}}");
    ck_assert_int_eq(r.status, 400);
    ck_assert(th_problem_has_field(&r, "claim.state"));
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM claim"), before);
    /* lists show masked values only */
    r = th_http(&d, "GET", "/v1/claims?limit=200", worker, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_null(strstr(r.body, WORKER_ID));
    ck_assert_ptr_nonnull(strstr(r.body, "330902********1238"));
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/claims?limit=100000", worker, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 400);
    th_reply_free(&r);
}
END_TEST

/* ---- object-level authorization (S6) ---- */

START_TEST(other_tenants_claims_are_not_found)
{
    struct th_reply r =
        create(worker, "s6-1", "{\"region\":\"330902\",\"claim\":" ZS_CLAIM("S6") "}");
    ck_assert_int_eq(r.status, 201);
    long long id = id_of(&r);
    th_reply_free(&r);
    char path[96], sub[96], wd[96];
    snprintf(path, sizeof path, "/v1/claims/%lld", id);
    snprintf(sub, sizeof sub, "/v1/claims/%lld/submit", id);
    snprintf(wd, sizeof wd, "/v1/claims/%lld/withdraw", id);
    const char *strangers[] = {other_worker, enterprise};
    for (int i = 0; i < 2; i++) {
        char key[32];
        r = th_http(&d, "GET", path, strangers[i], NULL, 0, NULL);
        ck_assert_int_eq(r.status, 404);
        th_reply_free(&r);
        snprintf(key, sizeof key, "s6-p%d", i);
        r = th_write(&d, "PATCH", path, strangers[i], key,
                     "{\"region\":\"330902\",\"claim\":" ZS_CLAIM("S6") "}");
        ck_assert_int_eq(r.status, 404);
        th_reply_free(&r);
        snprintf(key, sizeof key, "s6-s%d", i);
        r = th_write(&d, "POST", sub, strangers[i], key, NULL);
        ck_assert_int_eq(r.status, 404);
        th_reply_free(&r);
        snprintf(key, sizeof key, "s6-w%d", i);
        r = th_write(&d, "POST", wd, strangers[i], key, "{}");
        ck_assert_int_eq(r.status, 404);
        th_reply_free(&r);
    }
    /* a draft is its owner's alone, even for an approver of its city */
    r = th_http(&d, "GET", path, approver, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    r = th_write(&d, "POST", sub, worker, "s6-sub", NULL);
    ck_assert_int_eq(r.status, 200);
    th_reply_free(&r);
    /* submitted: an approver of another region sees nothing; one of the claim's city sees it */
    r = th_http(&d, "GET", path, far_approver, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    r = th_http(&d, "GET", path, approver, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    th_reply_free(&r);
    /* enterprises never see a full ID number; approvers may, audited */
    r = th_http(&d, "GET", "/v1/claims/999999999", worker, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    snprintf(path, sizeof path, "/v1/claims/%lld?reveal=true", id);
    r = th_http(&d, "GET", path, approver, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(
        json_string_value(json_object_get(json_object_get(r.json, "person"), "id_number")),
        WORKER_ID);
    th_reply_free(&r);
    /* roles that do not claim at all */
    const char *outsiders[] = {institution, admin};
    for (int i = 0; i < 2; i++) {
        r = th_http(&d, "GET", path, outsiders[i], NULL, 0, NULL);
        ck_assert_int_eq(r.status, 403);
        th_reply_free(&r);
        r = create(outsiders[i], "s6-x", "{\"region\":\"330902\",\"claim\":" ZS_CLAIM("S6") "}");
        ck_assert_int_eq(r.status, 403);
        th_reply_free(&r);
    }
    r = th_write(&d, "POST", "/v1/claims/abc/submit", worker, "s6-bad", NULL);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    /* give the worker's quota place back for the tests that fill it */
    r = th_write(&d, "POST", wd, worker, "s6-wd", "{}");
    ck_assert_int_eq(r.status, 200);
    th_reply_free(&r);
}
END_TEST

/* ---- concurrency ---- */

/* R1: 16 parallel submissions for one person and year, 100 trials: never more than 3. */
START_TEST(quota_race)
{
    static struct th_shot shots[16];
    static char keys[16][48];
    int trials = getenv("SD_R1_TRIALS") ? atoi(getenv("SD_R1_TRIALS")) : 100;
    for (int t = 0; t < trials; t++) {
        char id[19];
        th_resident_id(id, "330902", 1990, 100 + t);
        for (int i = 0; i < 16; i++) {
            snprintf(keys[i], sizeof keys[i], "r1-%d-%d", t, i);
            shots[i] = (struct th_shot){&d, "POST", "/v1/claims", enterprise, NULL, "", {0}};
            shots[i].key = keys[i];
            snprintf(shots[i].body, sizeof shots[i].body,
                     "{\"region\":\"330902\",\"submit\":true,\"employee\":{\"id_number\":"
                     "\"%s\",\"name\":\"员工\"},\"claim\":{\"kind\":\"certificate_training\","
                     "\"occupation\":\"6-18-03-%02d\",\"level\":\"level4\",\"certificate\":"
                     "{\"kind\":\"qualification\",\"number\":\"R1-%d-%d\",\"issue_date\":"
                     "\"2021-03-01\"},\"actual_cost_fen\":100000}}",
                     id, i, t, i); /* each person's own certificates: one is paid once */
        }
        th_write_all(shots, 16);
        int granted = 0, quota = 0;
        for (int i = 0; i < 16; i++) {
            if (shots[i].reply.status == 201)
                granted++;
            else if (shots[i].reply.status == 409 && code_of(&shots[i].reply) == 4001)
                quota++;
            else
                ck_abort_msg("trial %d: unexpected %ld %s", t, shots[i].reply.status,
                             shots[i].reply.body);
            th_reply_free(&shots[i].reply);
        }
        ck_assert_int_eq(granted, 3);
        ck_assert_int_eq(quota, 13);
    }
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM (SELECT person_id FROM claim WHERE"
                                   " claim_state_live(state) AND year = 2021 AND counts_quota"
                                   " GROUP BY person_id HAVING count(*) > 3) x"),
                     0);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM claim_quota q WHERE used <> (SELECT"
                                   " count(*) FROM claim c WHERE c.person_id = q.person_id AND"
                                   " c.year = q.year AND c.counts_quota AND"
                                   " claim_state_live(c.state))"),
                     0);
}
END_TEST

/* R2: 16 identical submissions (own keys) in parallel: exactly one claim. */
START_TEST(same_occupation_level_race)
{
    static struct th_shot shots[16];
    static char keys[16][32];
    char id[19];
    th_resident_id(id, "330902", 1990, 600);
    for (int i = 0; i < 16; i++) {
        snprintf(keys[i], sizeof keys[i], "r2-%d", i);
        shots[i] = (struct th_shot){&d, "POST", "/v1/claims", enterprise, NULL, "", {0}};
        shots[i].key = keys[i];
        snprintf(shots[i].body, sizeof shots[i].body,
                 "{\"region\":\"330902\",\"submit\":true,\"employee\":{\"id_number\":\"%s\","
                 "\"name\":\"员工\"},\"claim\":" ZS_CLAIM("R2") "}",
                 id);
    }
    th_write_all(shots, 16);
    int granted = 0, dup = 0;
    for (int i = 0; i < 16; i++) {
        if (shots[i].reply.status == 201)
            granted++;
        else if (shots[i].reply.status == 409 && code_of(&shots[i].reply) == 4002)
            dup++;
        else
            ck_abort_msg("unexpected %ld %s", shots[i].reply.status, shots[i].reply.body);
        th_reply_free(&shots[i].reply);
    }
    ck_assert_int_eq(granted, 1);
    ck_assert_int_eq(dup, 15);
}
END_TEST

/* R3 and R4: a replay is the first reply byte for byte, once; another body is 422. */
START_TEST(replays_one_effect)
{
    static struct th_shot shots[10];
    char id[19], body[1024];
    th_resident_id(id, "330902", 1990, 650);
    snprintf(body, sizeof body,
             "{\"region\":\"330902\",\"submit\":true,\"employee\":{\"id_number\":\"%s\","
             "\"name\":\"员工\"},\"claim\":" ZS_CLAIM("R3") "}",
             id);
    struct th_reply first = create(enterprise, "r3-seq", body);
    ck_assert_int_eq(first.status, 201);
    for (int i = 0; i < 10; i++) {
        struct th_reply r = create(enterprise, "r3-seq", body);
        ck_assert_int_eq(r.status, 201);
        ck_assert_str_eq(r.body, first.body);
        ck_assert_str_eq(th_header(&r, "idempotent-replayed"), "true");
        th_reply_free(&r);
    }
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM claim WHERE id = %lld", id_of(&first));
    ck_assert_int_eq(th_count(&pg, sql), 1);
    /* R4 */
    long claims = th_count(&pg, "SELECT count(*) FROM claim");
    long audit = th_count(&pg, "SELECT count(*) FROM audit");
    char other[1024];
    snprintf(other, sizeof other,
             "{\"region\":\"330902\",\"submit\":true,\"employee\":{\"id_number\":\"%s\","
             "\"name\":\"员工\"},\"claim\":" ZS_CLAIM_L("6-18-02-07", "level4", "R4") "}",
             id);
    struct th_reply r = create(enterprise, "r3-seq", other);
    ck_assert_int_eq(r.status, 422);
    ck_assert_int_eq(code_of(&r), 1014);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM claim"), claims);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit"), audit);
    th_reply_free(&first);

    /* ten at once, another person */
    th_resident_id(id, "330902", 1990, 651);
    for (int i = 0; i < 10; i++) {
        shots[i] = (struct th_shot){&d, "POST", "/v1/claims", enterprise, NULL, "", {0}};
        shots[i].key = "r3-par";
        snprintf(shots[i].body, sizeof shots[i].body,
                 "{\"region\":\"330902\",\"submit\":true,\"employee\":{\"id_number\":\"%s\","
                 "\"name\":\"员工\"},\"claim\":" ZS_CLAIM("R3P") "}",
                 id);
    }
    th_write_all(shots, 10);
    for (int i = 0; i < 10; i++) {
        ck_assert_int_eq(shots[i].reply.status, 201);
        ck_assert_str_eq(shots[i].reply.body, shots[0].reply.body);
    }
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM claim WHERE input->'claim'->'certificate'->>"
             "'number' = 'R3P'");
    ck_assert_int_eq(th_count(&pg, sql), 1);
    for (int i = 0; i < 10; i++)
        th_reply_free(&shots[i].reply);
}
END_TEST

START_TEST(withdrawn_place_is_free_again)
{
    /* the worker's 2020 quota: fill it, withdraw one, and the next one fits */
    long long ids[3];
    for (int i = 0; i < 3; i++) {
        char key[32], body[512];
        snprintf(key, sizeof key, "wq-%d", i);
        snprintf(body, sizeof body,
                 "{\"region\":\"330902\",\"submit\":true,\"claim\":{\"kind\":"
                 "\"certificate_training\",\"occupation\":\"6-18-04-%02d\",\"level\":\"level4\","
                 "\"certificate\":{\"kind\":\"qualification\",\"number\":\"WQ%d\",\"issue_date\":"
                 "\"2020-08-01\"},\"actual_cost_fen\":50000}}",
                 i, i);
        struct th_reply r = create(worker, key, body);
        ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
        ids[i] = id_of(&r);
        th_reply_free(&r);
    }
    const char *fourth = "{\"region\":\"330902\",\"submit\":true,\"claim\":{\"kind\":"
                         "\"certificate_training\",\"occupation\":\"6-18-04-09\",\"level\":"
                         "\"level4\",\"certificate\":{\"kind\":\"qualification\",\"number\":"
                         "\"WQ9\",\"issue_date\":\"2020-09-01\"},\"actual_cost_fen\":50000}}";
    struct th_reply r = create(worker, "wq-4a", fourth);
    ck_assert_int_eq(r.status, 409);
    ck_assert_int_eq(code_of(&r), 4001);
    th_reply_free(&r);
    char wd[96];
    snprintf(wd, sizeof wd, "/v1/claims/%lld/withdraw", ids[1]);
    r = th_write(&d, "POST", wd, worker, "wq-w", "{}");
    ck_assert_int_eq(r.status, 200);
    th_reply_free(&r);
    r = create(worker, "wq-4b", fourth);
    ck_assert_int_eq(r.status, 201);
    th_reply_free(&r);
    /* the list filters */
    r = th_http(&d, "GET", "/v1/claims?state=withdrawn&year=2020&limit=1", worker, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_ge(json_array_size(json_object_get(r.json, "items")), 1);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/claims?state=nonsense", worker, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 400);
    th_reply_free(&r);
}
END_TEST

/* Once a year (Ningbo's living allowance) is the database's rule too: a second live claim of
 * the kind in the same year is refused by the unique index, whatever the service checked. */
START_TEST(once_a_year_held_by_the_database)
{
    PGconn *c = th_pg_super(&pg);
    char insert[512];
    snprintf(insert, sizeof insert,
             "INSERT INTO claim (owner_role, owner_subject, person_id, region, kind, state, input,"
             " year, once_per_year, policy_id, policy_version, decision)"
             " SELECT 'applicant', owner_subject, id, '330203', 'living_allowance', 'submitted',"
             " '{}', 2020, true, 'ningbo-2019', 1, '{}' FROM person WHERE owner_subject = '%s'",
             worker_subject);
    PGresult *res = PQexec(c, insert);
    ck_assert_int_eq(PQresultStatus(res), PGRES_COMMAND_OK);
    PQclear(res);
    res = PQexec(c, insert);
    ck_assert_str_eq(PQresultErrorField(res, PG_DIAG_SQLSTATE), "23505");
    ck_assert_str_eq(PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME), "claim_once_per_year");
    PQclear(res);
    /* a withdrawn one does not count */
    res = PQexec(c, "UPDATE claim SET state = 'withdrawn' WHERE kind = 'living_allowance'");
    PQclear(res);
    res = PQexec(c, insert);
    ck_assert_int_eq(PQresultStatus(res), PGRES_COMMAND_OK);
    PQclear(res);
    PQfinish(c);
}
END_TEST

/* Ningbo's living allowance end to end: the cap is the minimum living standard, the year-wide
 * figure of the catalog version in force; a second one in the year is 409 once_a_year_used;
 * a year without the figure is catalog_entry_missing. */
#define NB_LIVING(start, end, days)                                                                \
    "{\"region\":\"330203\",\"submit\":true,\"claim\":{\"kind\":\"living_allowance\","             \
    "\"training_start\":\"" start "\",\"training_end\":\"" end "\",\"training_days\":" #days "}}"

START_TEST(living_allowance_once_a_year)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"id_number\":\"%s\",\"name\":\"陈六\",\"hukou_region\":\"330203\","
             "\"groups\":[{\"group\":\"disabled\",\"evidence\":\"残疾人证 3302031985\"}]}",
             nb_id);
    struct th_reply r = th_write(&d, "PUT", "/v1/profile", nb_worker, "nb-pf", body);
    ck_assert_msg(r.status == 200 || r.status == 201, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    r = th_write(&d, "POST", "/v1/admin/catalogs", admin, "nb-cat",
                 "{\"policy\":\"ningbo-2019\",\"year\":2020,\"effective_from\":\"2020-01-01\","
                 "\"source\":\"宁波市2020年最低生活保障标准\",\"year_standard_fen\":88600,"
                 "\"entries\":[]}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    long long catalog = id_of(&r);
    th_reply_free(&r);

    /* 30 days at 40 yuan = 1200, capped at the standard 886 */
    r = create(nb_worker, "nb-la-1", NB_LIVING("2020-05-01", "2020-06-20", 30));
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "submitted");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "amount_fen")), 88600);
    json_t *trace = json_object_get(json_object_get(r.json, "decision"), "trace");
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_object_get(trace, "catalog"), "standard_fen")),
        88600);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT catalog_id FROM claim WHERE id = %lld", id_of(&r));
    ck_assert_int_eq(th_count(&pg, sql), catalog);
    th_reply_free(&r);

    /* the second in 2020, though shorter and later, is refused: nothing written */
    long before = th_count(&pg, "SELECT count(*) FROM claim WHERE kind = 'living_allowance'");
    r = create(nb_worker, "nb-la-2", NB_LIVING("2020-09-01", "2020-09-20", 10));
    ck_assert_msg(r.status == 409, "%ld %s", r.status, r.body);
    ck_assert_int_eq(code_of(&r), 4003);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM claim WHERE kind = 'living_allowance'"),
                     before);

    /* 2021 has no published figure for Ningbo */
    r = create(nb_worker, "nb-la-3", NB_LIVING("2021-03-01", "2021-03-20", 10));
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert(has_rule_problem(&r, "catalog_entry_missing"));
    th_reply_free(&r);
}
END_TEST

/* 宁波 四(四): an employee of a listed Ningbo enterprise, on a shortage entry of base 1000 and
 * shortage uplift 200 in the published catalog, gets the larger single uplift on the base:
 * 1300, not 1200 (the shortage standard) nor 1560 (1200 + 30 %). Runs last: its catalog
 * version is the newest of Ningbo 2020. */
START_TEST(trade_friction_gets_the_larger_single_uplift)
{
#define ENT_NB "91330200MA2C000036"
    char nb_enterprise[64];
    th_token(&pg, "enterprise", ENT_NB, NULL, nb_enterprise);
    struct th_reply r = th_write(&d, "PUT", "/v1/admin/enterprises/" ENT_NB, admin, "ent-nb",
                                 "{\"name\":\"宁波示范企业\",\"region\":\"330203\"}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    r = th_write(&d, "POST", "/v1/admin/trade-friction", admin, "tf-nb",
                 "{\"credit_code\":\"" ENT_NB "\",\"valid_from\":\"2019-06-01\","
                 "\"source\":\"甬政办发〔2019〕1号\"}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    r = th_write(&d, "POST", "/v1/admin/catalogs", admin, "cat-nb-uplift",
                 "{\"policy\":\"ningbo-2019\",\"year\":2020,\"effective_from\":\"2020-01-01\","
                 "\"source\":\"宁波市2020年目录\",\"entries\":[{\"occupation\":\"6-18-02-04\","
                 "\"occupation_name\":\"焊工\",\"level\":\"level3\",\"standard_fen\":120000,"
                 "\"shortage\":true,\"shortage_uplift_fen\":20000}]}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    char id[19], body[1024];
    th_resident_id(id, "330203", 1991, 412);
    const char *insured[] = {id}; /* an employee of the listed enterprise, by its records */
    ck_assert(th_insure(&d, admin, ENT_NB, insured, 1, "2019-01-01"));
    snprintf(body, sizeof body,
             "{\"region\":\"330203\",\"submit\":true,\"employee\":{\"id_number\":\"%s\","
             "\"name\":\"赵七\",\"hukou_region\":\"330203\"},"
             "\"claim\":{\"kind\":\"certificate_training\",\"occupation\":\"6-18-02-04\","
             "\"level\":\"level3\",\"certificate\":{\"kind\":\"qualification\","
             "\"number\":\"NB-TF-1\",\"issue_date\":\"2020-06-30\"}}}",
             id);
    r = create(nb_enterprise, "nb-tf-claim", body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "amount_fen")), 130000);
    json_t *trace = json_object_get(json_object_get(r.json, "decision"), "trace");
    ck_assert_int_eq(json_integer_value(
                         json_object_get(json_object_get(trace, "catalog"), "shortage_uplift_fen")),
                     20000);
    json_t *choice = json_object_get(trace, "uplift_choice");
    ck_assert_int_eq(json_integer_value(json_object_get(choice, "base_fen")), 100000);
    ck_assert_int_eq(json_integer_value(json_object_get(choice, "shortage_uplift_fen")), 20000);
    ck_assert_int_eq(json_integer_value(json_object_get(choice, "policy_uplift_fen")), 30000);
    ck_assert_str_eq(json_string_value(json_object_get(choice, "paid")), "policy_uplift");
    th_reply_free(&r);
#undef ENT_NB
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    /* an applicant's token is made for the person's ID number */
    th_resident_id(other_id, "330902", 1991, 7);
    th_resident_id(nb_id, "330203", 1985, 31);
    th_token(&pg, "applicant", WORKER_ID, NULL, worker);
    worker_subject = th_sql(&pg, "SELECT subject FROM token ORDER BY id DESC LIMIT 1");
    th_token(&pg, "applicant", other_id, NULL, other_worker);
    th_token(&pg, "applicant", nb_id, NULL, nb_worker);
    th_token(&pg, "enterprise", "91330900MA28K5678B", NULL, unregistered);
    th_token(&pg, "enterprise", ENT_ZS, NULL, enterprise);
    th_token(&pg, "approver", NULL, "330900", approver);
    th_token(&pg, "approver", NULL, "330200", far_approver);
    th_token(&pg, "institution", "91330900MA28K5678B", NULL, institution);
    struct th_reply r = th_write(&d, "PUT", "/v1/admin/enterprises/" ENT_ZS, admin, "ent",
                                 "{\"name\":\"舟山示范企业\",\"region\":\"330902\"}");
    bool ok = r.status == 201;
    if (!ok)
        fprintf(stderr, "enterprise: %ld %s\n", r.status, r.body);
    th_reply_free(&r);
    /* the enterprise's employees, as the social-insurance export shows them */
    int trials = getenv("SD_R1_TRIALS") ? atoi(getenv("SD_R1_TRIALS")) : 100;
    int n = trials > 0 && trials <= 500 ? trials : 100;
    static char ids[505][19];
    static const char *idp[505];
    for (int i = 0; i < n; i++) /* quota_race's people */
        th_resident_id(ids[i], "330902", 1990, 100 + (unsigned)i);
    const unsigned more[] = {600, 650, 651, 700, 701};
    for (int i = 0; i < 5; i++)
        th_resident_id(ids[n + i], "330902", 1990, more[i]);
    for (int i = 0; i < n + 5; i++)
        idp[i] = ids[i];
    ok = ok && th_insure(&d, admin, ENT_ZS, idp, n + 5, "2019-01-01");
    r = th_write(&d, "PUT", "/v1/profile", worker, "pf-1",
                 "{\"id_number\":\"" WORKER_ID "\",\"name\":\"张三\",\"phone\":\"13812345678\","
                 "\"hukou_region\":\"330902\",\"groups\":[{\"group\":\"veteran\","
                 "\"evidence\":\"退役军人证 2019-001\"}]}");
    if (r.status != 200)
        fprintf(stderr, "profile: %ld %s\n", r.status, r.body), ok = false;
    th_reply_free(&r);
    if (!ok) {
        th_finish(&pg, &d);
        return 99;
    }

    Suite *s = suite_create("claims");
    TCase *tc = tcase_create("claims");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, profile_bad_fields_all_named);
    tcase_add_test(tc, profile_masked_and_reveal_audited);
    tcase_add_test(tc, profile_id_number_is_one_person);
    tcase_add_test(tc, profile_lower_case_x_stored_upper_case);
    tcase_add_test(tc, draft_edit_submit_withdraw);
    tcase_add_test(tc, every_problem_at_once_nothing_written);
    tcase_add_test(tc, submission_reads_catalog_and_listing_from_the_database);
    tcase_add_test(tc, bad_fields_named_together);
    tcase_add_test(tc, mass_assignment_refused);
    tcase_add_test(tc, other_tenants_claims_are_not_found);
    tcase_add_test(tc, quota_race);
    tcase_add_test(tc, same_occupation_level_race);
    tcase_add_test(tc, replays_one_effect);
    tcase_add_test(tc, withdrawn_place_is_free_again);
    tcase_add_test(tc, once_a_year_held_by_the_database);
    tcase_add_test(tc, living_allowance_once_a_year);
    tcase_add_test(tc, trade_friction_gets_the_larger_single_uplift);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    free(worker_subject);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
