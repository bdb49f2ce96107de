/* API tier: the trainee's record (培训档案, Ningbo 五(一)) — GET /v1/profile/record for the person
 * and GET /v1/persons/{id}/record for an approver of a region involved: every class with the
 * attendance and completion result, the certificates, the submitted claims (not drafts), masked
 * as the profile is, as JSON and as an escaped printable page; each read audited; anyone else
 * 404 (403 for a role the route does not admit), with nothing audited. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], inst[64], approver[64], city_approver[64], far_approver[64];
static char trainee[64], stranger[64], unregistered[64];
static char inst_code[19], trainee_id[19], stranger_id[19];
static long long class_id, person_ref;

#define OCC "6-18-02-04"
#define CLAIM_FIELDS                                                                               \
    "\"region\":\"330902\",\"claim\":{\"kind\":\"certificate_training\",\"occupation\":"           \
    "\"6-18-02-04\",\"level\":\"level4\",\"certificate\":{\"kind\":\"qualification\","             \
    "\"number\":\"REC-%d\",\"issue_date\":\"2020-06-30\"},\"actual_cost_fen\":160000}"

static long audit_rows(void)
{
    return th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'person.record'");
}

static struct th_reply get(const char *path, const char *token, bool html)
{
    const char *h[] = {"Accept: text/html", NULL};
    return th_http(&d, "GET", path, token, NULL, 0, html ? h : NULL);
}

static void check_record(const struct th_reply *r)
{
    ck_assert_msg(r->status == 200, "%ld %s", r->status, r->body);
    json_t *p = json_object_get(r->json, "person");
    ck_assert_int_eq(json_integer_value(json_object_get(p, "person_ref")), person_ref);
    ck_assert_str_eq(json_string_value(json_object_get(p, "name")), "申请人");
    char masked[19];
    snprintf(masked, sizeof masked, "%.6s********%.4s", trainee_id, trainee_id + 14);
    ck_assert_str_eq(json_string_value(json_object_get(p, "id_number_masked")), masked);
    ck_assert_ptr_null(strstr(r->body, trainee_id));
    json_t *classes = json_object_get(r->json, "classes");
    ck_assert_int_eq(json_array_size(classes), 1);
    json_t *k = json_array_get(classes, 0);
    ck_assert_int_eq(json_integer_value(json_object_get(k, "class_id")), class_id);
    ck_assert_str_eq(json_string_value(json_object_get(k, "state")), "completed");
    ck_assert_int_eq(json_integer_value(json_object_get(k, "attendance_hours")), 110);
    ck_assert(json_is_true(json_object_get(k, "passed")));
    ck_assert_str_eq(json_string_value(json_object_get(k, "institution")), inst_code);
    json_t *certs = json_object_get(r->json, "certificates");
    ck_assert_int_eq(json_array_size(certs), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(certs, 0), "number")),
                     "ZS-CERT-1");
    /* the submitted claim, never the draft */
    json_t *claims = json_object_get(r->json, "claims");
    ck_assert_int_eq(json_array_size(claims), 1);
    ck_assert_str_ne(json_string_value(json_object_get(json_array_get(claims, 0), "state")),
                     "draft");
}

START_TEST(the_person_reads_their_record)
{
    long before = audit_rows();
    struct th_reply r = get("/v1/profile/record", trainee, false);
    check_record(&r);
    th_reply_free(&r);
    ck_assert_int_eq(audit_rows(), before + 1);
    /* the printable page: escaped, no external resources, the ID number masked */
    r = get("/v1/profile/record", trainee, true);
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_nonnull(strstr(r.headers, "content-type: text/html"));
    ck_assert_ptr_nonnull(strstr(r.body, "职业技能培训档案"));
    ck_assert_ptr_nonnull(strstr(r.body, "测试培训学校"));
    ck_assert_ptr_nonnull(strstr(r.body, "&lt;&amp;&gt;"));
    ck_assert_ptr_null(strstr(r.body, "<&>"));
    ck_assert_ptr_null(strstr(r.body, trainee_id));
    ck_assert_ptr_null(strstr(r.body, "http"));
    th_reply_free(&r);
    /* a person on no roster and with no claim: an empty record; before the profile: 404 */
    r = get("/v1/profile/record", stranger, false);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "classes")), 0);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "claims")), 0);
    th_reply_free(&r);
    before = audit_rows();
    r = get("/v1/profile/record", unregistered, false);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    ck_assert_int_eq(audit_rows(), before);
}
END_TEST

START_TEST(approvers_of_the_regions_involved)
{
    char path[96];
    snprintf(path, sizeof path, "/v1/persons/%lld/record", person_ref);
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit WHERE action = 'person.record' AND object_kind = 'person'"
             " AND object_id = '%lld' AND actor IS NOT NULL",
             person_ref);
    long before = th_count(&pg, sql);
    /* the district's approver and the city's */
    struct th_reply r = get(path, approver, false);
    check_record(&r);
    th_reply_free(&r);
    r = get(path, city_approver, true);
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_nonnull(strstr(r.headers, "content-type: text/html"));
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, sql), before + 2);
    /* another city's approver: not found, as a person that does not exist, and not audited */
    before = audit_rows();
    r = get(path, far_approver, false);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    r = get("/v1/persons/999999999/record", approver, false);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    r = get("/v1/persons/abc/record", approver, false);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    /* the stranger's person exists but is in no class or claim of any region */
    snprintf(sql, sizeof sql, "SELECT id FROM person WHERE id <> %lld ORDER BY id LIMIT 1",
             person_ref);
    char *other = th_sql(&pg, sql);
    char other_path[96];
    snprintf(other_path, sizeof other_path, "/v1/persons/%s/record", other);
    free(other);
    r = get(other_path, approver, false);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    ck_assert_int_eq(audit_rows(), before);
    /* roles the route does not admit */
    const char *const others[] = {inst, trainee, admin};
    for (int i = 0; i < 3; i++) {
        r = get(path, others[i], false);
        ck_assert_int_eq(r.status, 403);
        th_reply_free(&r);
    }
    r = get("/v1/profile/record", inst, false);
    ck_assert_int_eq(r.status, 403);
    th_reply_free(&r);
    r = get("/v1/profile/record", approver, false);
    ck_assert_int_eq(r.status, 403);
    th_reply_free(&r);
    r = get(path, NULL, false);
    ck_assert_int_eq(r.status, 401);
    th_reply_free(&r);
    ck_assert_int_eq(audit_rows(), before);
}
END_TEST

/* File the trainee's class, complete it, give them a certificate record and two claims (one
 * submitted, one a draft). */
static bool setup(void)
{
    char roster[200], body[1200];
    snprintf(roster, sizeof roster, "[{\"id_number\":\"%s\",\"name\":\"张三\"}]", trainee_id);
    th_class_body(body, sizeof body, OCC, "2027-03-01", 30, roster);
    class_id = th_class_file(&d, inst, "rec-class", body);
    if (!class_id)
        return false;
    char sql[800];
    snprintf(sql, sizeof sql, "UPDATE class SET state = 'running' WHERE id = %lld", class_id);
    free(th_sql(&pg, sql));
    char path[96], done[300];
    snprintf(path, sizeof path, "/v1/classes/%lld/completion", class_id);
    snprintf(done, sizeof done,
             "{\"trainees\":[{\"id_number\":\"%s\",\"attendance_hours\":110,\"passed\":true}]}",
             trainee_id);
    struct th_reply r = th_write(&d, "POST", path, inst, "rec-done", done);
    bool ok = r.status == 200;
    if (!ok)
        fprintf(stderr, "completion: %ld %s\n", r.status, r.body);
    th_reply_free(&r);
    snprintf(path, sizeof path, "/v1/classes/%lld/roster", class_id);
    r = th_http(&d, "GET", path, inst, NULL, 0, NULL);
    person_ref = json_integer_value(
        json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "person_ref"));
    th_reply_free(&r);
    snprintf(sql, sizeof sql,
             "INSERT INTO evaluation_body (credit_code, name, region, kind)"
             " VALUES ('%s', '舟山鉴定中心', '330902', 'appraisal_centre');"
             "INSERT INTO certificate_record (id_hash, kind, number, occupation, level, issue_date,"
             " body_code, status, source) SELECT id_hash, 'qualification', 'ZS-CERT-1', '" OCC
             "', 'level4', '2027-04-01', '%s', 'valid', 'test' FROM person WHERE id = %lld",
             inst_code, inst_code, person_ref);
    free(th_sql(&pg, sql));
    /* the trainee registers after the institution filed them: the same person */
    ok = ok && th_profile(&d, trainee, trainee_id, "330902");
    char claim[600];
    snprintf(claim, sizeof claim, "{\"submit\":true," CLAIM_FIELDS "}", 1);
    r = th_write(&d, "POST", "/v1/claims", trainee, "rec-claim", claim);
    ok = ok && r.status == 201;
    if (r.status != 201)
        fprintf(stderr, "claim: %ld %s\n", r.status, r.body);
    th_reply_free(&r);
    snprintf(claim, sizeof claim, "{" CLAIM_FIELDS "}", 2);
    r = th_write(&d, "POST", "/v1/claims", trainee, "rec-draft", claim);
    ok = ok && r.status == 201;
    th_reply_free(&r);
    return ok && person_ref > 0;
}

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_credit_code(inst_code, "330900", 51);
    th_token(&pg, "institution", inst_code, NULL, inst);
    th_token(&pg, "approver", NULL, "330902", approver);
    th_token(&pg, "approver", NULL, "330900", city_approver);
    th_token(&pg, "approver", NULL, "330200", far_approver);
    th_resident_id(trainee_id, "330902", 1990, 61);
    th_resident_id(stranger_id, "330902", 1991, 62);
    char unregistered_id[19];
    th_resident_id(unregistered_id, "330902", 1992, 63);
    th_token(&pg, "applicant", trainee_id, NULL, trainee);
    th_token(&pg, "applicant", stranger_id, NULL, stranger);
    th_token(&pg, "applicant", unregistered_id, NULL, unregistered);
    bool ok = th_institution(&d, admin, inst_code, "330902", "normal") &&
              th_class_catalog(&d, admin, "zhoushan-2019", 2027, OCC, "level4") && setup() &&
              th_profile(&d, stranger, stranger_id, "330902");
    if (!ok) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("trainee_record");
    TCase *tc = tcase_create("trainee_record");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, the_person_reads_their_record);
    tcase_add_test(tc, approvers_of_the_regions_involved);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
