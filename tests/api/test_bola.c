/* API tier: the object-level authorization matrix (tests/QUALITY.md S6) — every role × every
 * id-bearing endpoint of claims, classes and trainee records × another tenant's object.  A role the
 * route admits gets 404, exactly as for an id that does not exist (nothing to tell the two apart);
 * a role it does not admit gets 403; nobody gets a 2xx, and the objects are unchanged afterwards.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], worker[64], other_worker[64], enterprise[64], inst[64], other_inst[64],
    far_approver[64], near_approver[64], far_finance[64];
static long long claim_id, class_id, person_id, job_id, objection_id;

#define WORKER_ID "330902199001011238"
#define ENT_ZS    "91330900MA28K1234U"
#define MISSING   999999999LL
#define CLAIM_FIELDS                                                                               \
    "\"region\":\"330902\",\"claim\":{\"kind\":\"certificate_training\",\"occupation\":"           \
    "\"6-18-02-04\",\"level\":\"level4\",\"certificate\":{\"kind\":\"qualification\","             \
    "\"number\":\"BOLA-1\",\"issue_date\":\"2020-06-30\"},\"actual_cost_fen\":160000}"
#define CLAIM_BODY "{" CLAIM_FIELDS "}"

enum role_bit {
    APPLICANT = 1,
    ENTERPRISE = 2,
    INSTITUTION = 4,
    APPROVER = 8,
    ADMIN = 16,
    FINANCE = 32
};

struct endpoint {
    const char *method, *path; /* %lld: the id */
    const char *body;          /* NULL: none */
    unsigned roles;            /* the roles the route admits */
    enum object {
        CLASS,
        CLAIM,
        PERSON,
        JOB,
        OBJECTION
    } object; /* whose id (the person: the class's trainee;
               * the job: a bulk review job's; the objection: the worker's) */
};

static const struct endpoint endpoints[] = {
    /* issue 14: finance reads a claim of its regions once approved */
    {"GET", "/v1/claims/%lld", NULL, APPLICANT | ENTERPRISE | APPROVER | FINANCE, CLAIM},
    {"PATCH", "/v1/claims/%lld", CLAIM_BODY, APPLICANT | ENTERPRISE, CLAIM},
    {"DELETE", "/v1/claims/%lld", NULL, APPLICANT | ENTERPRISE, CLAIM},
    {"POST", "/v1/claims/%lld/submit", NULL, APPLICANT | ENTERPRISE, CLAIM},
    {"POST", "/v1/claims/%lld/withdraw", "{}", APPLICANT | ENTERPRISE, CLAIM},
    {"POST", "/v1/claims/%lld/take", "{}", APPROVER, CLAIM},
    {"POST", "/v1/claims/%lld/approve", "{}", APPROVER, CLAIM},
    {"POST", "/v1/claims/%lld/reject", "{\"reason_codes\":[\"other\"],\"reason\":\"测试\"}",
     APPROVER, CLAIM},
    {"POST", "/v1/claims/%lld/return", "{\"fixes\":[{\"field\":\"region\",\"reason\":\"测试\"}]}",
     APPROVER, CLAIM},
    {"GET", "/v1/classes/%lld", NULL, INSTITUTION | APPROVER, CLASS},
    {"PUT", "/v1/classes/%lld/roster", "{\"roster\":[]}", INSTITUTION, CLASS},
    {"GET", "/v1/classes/%lld/roster", NULL, INSTITUTION | APPROVER, CLASS},
    {"GET", "/v1/classes/%lld/receipt", NULL, INSTITUTION | APPROVER, CLASS},
    {"POST", "/v1/classes/%lld/accept", "{}", APPROVER, CLASS},
    {"POST", "/v1/classes/%lld/reject", "{\"reason_codes\":[\"other\"],\"reason\":\"测试\"}",
     APPROVER, CLASS},
    {"POST", "/v1/classes/%lld/start", "{}", INSTITUTION, CLASS},
    {"POST", "/v1/classes/%lld/cancel", "{}", INSTITUTION, CLASS},
    {"POST", "/v1/classes/%lld/completion",
     "{\"trainees\":[{\"id_number\":\"" WORKER_ID "\",\"attendance_hours\":1,\"passed\":false}]}",
     INSTITUTION, CLASS},
    {"GET", "/v1/persons/%lld/record", NULL, APPROVER, PERSON},
    {"POST", "/v1/classes/%lld/sessions",
     "{\"date\":\"2027-03-02\",\"start_time\":\"09:00\",\"end_time\":\"11:00\","
     "\"mode\":\"in_person\",\"hours\":2}",
     INSTITUTION, CLASS},
    {"GET", "/v1/classes/%lld/sessions", NULL, INSTITUTION | APPROVER, CLASS},
    {"POST", "/v1/classes/%lld/sessions/1/signins",
     "{\"signins\":[{\"id_number\":\"" WORKER_ID "\",\"time\":\"09:00\",\"method\":"
     "\"card\",\"evidence\":\"C-1\"}]}",
     INSTITUTION, CLASS},
    {"GET", "/v1/classes/%lld/attendance", NULL, INSTITUTION | APPROVER, CLASS},
    {"POST", "/v1/classes/%lld/inspections",
     "{\"date\":\"2027-03-02\",\"findings\":\"现场抽查\",\"result\":\"ok\"}", APPROVER, CLASS},
    {"GET", "/v1/classes/%lld/inspections", NULL, INSTITUTION | APPROVER, CLASS},
    {"POST", "/v1/classes/%lld/results",
     "{\"results\":[{\"id_number\":\"" WORKER_ID "\",\"kind\":\"qualification\","
     "\"number\":\"BOLA-R-1\",\"level\":\"level4\",\"issue_date\":\"2026-11-20\","
     "\"body_code\":\"" ENT_ZS "\"}]}",
     INSTITUTION, CLASS},
    {"GET", "/v1/classes/%lld/results", NULL, INSTITUTION | APPROVER, CLASS},
    {"POST", "/v1/classes/%lld/close", "{}", APPROVER, CLASS},
    /* issue 13: resubmission, release and reassignment, appeal */
    {"POST", "/v1/claims/%lld/resubmit", NULL, APPLICANT | ENTERPRISE, CLAIM},
    {"POST", "/v1/claims/%lld/release", "{}", APPROVER, CLAIM},
    {"POST", "/v1/claims/%lld/assign", "{\"approver_token_id\":1}", APPROVER, CLAIM},
    /* issue 13: appeal (复议) of a rejection */
    {"POST", "/v1/claims/%lld/appeal", "{\"decision\":1,\"reason\":\"请复核\"}",
     APPLICANT | ENTERPRISE, CLAIM},
    {"POST", "/v1/claims/%lld/uphold", "{\"reason\":\"维持\"}", APPROVER, CLAIM},
    /* issue 13: verification of sampled 告知承诺 claims */
    {"POST", "/v1/claims/%lld/verify", "{\"outcome\":\"confirmed\"}", APPROVER, CLAIM},
    {"GET", "/v1/review/jobs/%lld", NULL, APPROVER, JOB},
    {"GET", "/v1/review/jobs/%lld/items", NULL, APPROVER, JOB},
    {"POST", "/v1/review/jobs/%lld/cancel", "{}", APPROVER, JOB},
    /* issue 14: objections (the claim is not in notice: no claim to an objector) */
    {"POST", "/v1/claims/%lld/objections", "{\"reason\":\"异议\"}",
     APPLICANT | ENTERPRISE | INSTITUTION | APPROVER | ADMIN | FINANCE, CLAIM},
    {"GET", "/v1/objections/%lld", NULL,
     APPLICANT | ENTERPRISE | INSTITUTION | APPROVER | ADMIN | FINANCE, OBJECTION},
    {"POST", "/v1/claims/%lld/objections/1/dismiss", "{\"reason\":\"不成立\"}", APPROVER, CLAIM},
    {"POST", "/v1/claims/%lld/objections/1/uphold", "{\"reason\":\"成立\"}", APPROVER, CLAIM},
};

struct caller {
    const char *name;
    const char *token;
    unsigned role;
};

static struct th_reply send(const struct endpoint *e, const struct caller *c, long long id,
                            int serial)
{
    char path[96], key[64];
    snprintf(path, sizeof path, e->path, id);
    snprintf(key, sizeof key, "bola-%s-%d-%lld", c->name, serial, id);
    if (strcmp(e->method, "GET") == 0)
        return th_http(&d, "GET", path, c->token, NULL, 0, NULL);
    return th_write(&d, e->method, path, c->token, key, e->body);
}

START_TEST(another_tenants_objects_are_not_found)
{
    /* each role's caller is another tenant: none of them owns or may see the objects */
    const struct caller callers[] = {
        {"applicant", other_worker, APPLICANT},
        {"enterprise", enterprise, ENTERPRISE},
        {"institution", other_inst, INSTITUTION},
        {"approver", far_approver, APPROVER},
        {"admin", admin, ADMIN},
        {"finance", far_finance, FINANCE},
    };
    long audit = th_count(&pg, "SELECT count(*) FROM audit");
    int cells = 0, unexpected_2xx = 0;
    for (size_t i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++) {
        const struct endpoint *e = &endpoints[i];
        for (size_t k = 0; k < sizeof callers / sizeof callers[0]; k++) {
            const struct caller *c = &callers[k];
            long want = e->roles & c->role ? 404 : 403;
            long long id = e->object == PERSON      ? person_id
                           : e->object == CLAIM     ? claim_id
                           : e->object == JOB       ? job_id
                           : e->object == OBJECTION ? objection_id
                                                    : class_id;
            struct th_reply theirs = send(e, c, id, (int)i);
            struct th_reply none = send(e, c, MISSING, (int)i);
            if (theirs.status >= 200 && theirs.status < 300)
                unexpected_2xx++;
            ck_assert_msg(theirs.status == want, "%s %s as %s: %ld %s", e->method, e->path, c->name,
                          theirs.status, theirs.body);
            ck_assert_msg(none.status == theirs.status, "%s %s as %s: %ld for none, %ld", e->method,
                          e->path, c->name, none.status, theirs.status);
            th_reply_free(&theirs);
            th_reply_free(&none);
            cells++;
        }
    }
    ck_assert_int_eq(unexpected_2xx, 0);
    /* every row of the table with every caller */
    ck_assert_int_eq(cells, (int)(sizeof endpoints / sizeof endpoints[0] *
                                  (sizeof callers / sizeof callers[0])));
    /* nothing changed: no audit row, the claim submitted, the class filed, the roster whole */
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit"), audit);
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM claim WHERE id = %lld AND state = 'submitted'",
             claim_id);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM class WHERE id = %lld AND state = 'filed'",
             class_id);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM class_roster_entry WHERE class_id = %lld AND removed_at IS NULL",
             class_id);
    ck_assert_int_eq(th_count(&pg, sql), 1);
}
END_TEST

START_TEST(the_owners_see_their_objects)
{
    /* the matrix's 404s are not a route that answers 404 to everyone */
    char path[96];
    snprintf(path, sizeof path, "/v1/claims/%lld", claim_id);
    struct th_reply r = th_http(&d, "GET", path, worker, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    th_reply_free(&r);
    const char *class_paths[] = {
        "/v1/classes/%lld",          "/v1/classes/%lld/roster",     "/v1/classes/%lld/receipt",
        "/v1/classes/%lld/sessions", "/v1/classes/%lld/attendance", "/v1/classes/%lld/inspections",
        "/v1/classes/%lld/results"};
    for (size_t i = 0; i < sizeof class_paths / sizeof class_paths[0]; i++) {
        snprintf(path, sizeof path, class_paths[i], class_id);
        r = th_http(&d, "GET", path, inst, NULL, 0, NULL);
        ck_assert_msg(r.status == 200, "%s: %ld", path, r.status);
        th_reply_free(&r);
    }
    snprintf(path, sizeof path, "/v1/persons/%lld/record", person_id);
    r = th_http(&d, "GET", path, near_approver, NULL, 0, NULL);
    ck_assert_msg(r.status == 200, "%s: %ld", path, r.status);
    th_reply_free(&r);
    snprintf(path, sizeof path, "/v1/objections/%lld", objection_id);
    r = th_http(&d, "GET", path, worker, NULL, 0, NULL);
    ck_assert_msg(r.status == 200, "%s: %ld", path, r.status);
    th_reply_free(&r);
    const char *job_paths[] = {"/v1/review/jobs/%lld", "/v1/review/jobs/%lld/items"};
    for (size_t i = 0; i < sizeof job_paths / sizeof job_paths[0]; i++) {
        snprintf(path, sizeof path, job_paths[i], job_id);
        r = th_http(&d, "GET", path, near_approver, NULL, 0, NULL);
        ck_assert_msg(r.status == 200, "%s: %ld", path, r.status);
        th_reply_free(&r);
    }
}
END_TEST

/* Whether the table has a row for METHOD (lower case, as the spec writes it) PATH ({id}, {sid},
 * {oid}). */
static bool has_row(const char *method, const char *path)
{
    for (size_t i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++) {
        char spelled[128];
        const char *p = endpoints[i].path;
        size_t n = 0;
        while (*p && n + 8 < sizeof spelled) { /* %lld -> {id}, sessions/1/ -> sessions/{sid}/ */
            if (strncmp(p, "%lld", 4) == 0) {
                n += (size_t)snprintf(spelled + n, sizeof spelled - n, "{id}");
                p += 4;
            } else if (strncmp(p, "/sessions/1/", 12) == 0) {
                n += (size_t)snprintf(spelled + n, sizeof spelled - n, "/sessions/{sid}/");
                p += 12;
            } else if (strncmp(p, "/objections/1/", 14) == 0) {
                n += (size_t)snprintf(spelled + n, sizeof spelled - n, "/objections/{oid}/");
                p += 14;
            } else
                spelled[n++] = *p++;
        }
        spelled[n] = '\0';
        if (strcasecmp(endpoints[i].method, method) == 0 && strcmp(spelled, path) == 0)
            return true;
    }
    return false;
}

static bool is_method(const char *word)
{
    static const char *const methods[] = {"get", "put", "post", "patch", "delete"};
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (strcmp(word, methods[i]) == 0)
            return true;
    return false;
}

/* Every operation of api/openapi.yaml on a path with an {id} has its row in the table, so that a
 * new route on an object cannot go untested here; the administrators' own objects (accounts,
 * catalogs) and a caller's own tokens are outside the matrix (api-accounts, api-catalogs and
 * api-tokens try them across tenants). */
START_TEST(every_route_on_an_object_has_its_rows)
{
    static const char *const outside[] = {"/v1/admin/", "/v1/catalogs/", "/v1/tokens/"};
    char file[512], line[512], path[256] = "";
    snprintf(file, sizeof file, "%s/api/openapi.yaml", th_source_root());
    FILE *f = fopen(file, "r");
    ck_assert_ptr_nonnull(f);
    int routes = 0;
    while (fgets(line, sizeof line, f)) {
        char method[16];
        if (strncmp(line, "  /", 3) == 0 && sscanf(line, "  %255[^:]:", path) == 1)
            continue;
        if (!strstr(path, "{id}") || sscanf(line, "    %15[a-z]:", method) != 1 ||
            !is_method(method))
            continue;
        bool skip = false;
        for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++)
            skip |= strncmp(path, outside[i], strlen(outside[i])) == 0;
        if (skip)
            continue;
        ck_assert_msg(has_row(method, path), "%s %s has no row in test_bola.c's table", method,
                      path);
        routes++;
    }
    fclose(f);
    ck_assert_int_eq(routes, (int)(sizeof endpoints / sizeof endpoints[0]));
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    char other_id[19], inst_code[19], other_code[19], trainee[19];
    th_resident_id(other_id, "330902", 1991, 7);
    th_resident_id(trainee, "330902", 1992, 77);
    th_credit_code(inst_code, "330900", 41);
    th_credit_code(other_code, "330900", 42);
    th_token(&pg, "applicant", WORKER_ID, NULL, worker);
    th_token(&pg, "applicant", other_id, NULL, other_worker);
    th_token(&pg, "enterprise", ENT_ZS, NULL, enterprise);
    th_token(&pg, "institution", inst_code, NULL, inst);
    th_token(&pg, "institution", other_code, NULL, other_inst);
    th_token(&pg, "approver", NULL, "330200", far_approver);
    th_token(&pg, "approver", NULL, "330900", near_approver);
    th_token(&pg, "finance", NULL, "330200", far_finance);
    bool ok = th_enterprise(&d, admin, ENT_ZS, "330902") &&
              th_profile(&d, worker, WORKER_ID, "330902") &&
              th_institution(&d, admin, inst_code, "330902", "normal") &&
              th_institution(&d, admin, other_code, "330902", "normal") &&
              th_class_catalog(&d, admin, "zhoushan-2019", 2027, "6-18-02-04", "level4");
    /* the worker's claim, submitted */
    struct th_reply r = th_write(&d, "POST", "/v1/claims", worker, "bola-claim",
                                 "{\"submit\":true," CLAIM_FIELDS "}");
    ok = ok && r.status == 201;
    if (!ok)
        fprintf(stderr, "claim: %ld %s\n", r.status, r.body);
    claim_id = ok ? json_integer_value(json_object_get(r.json, "id")) : 0;
    th_reply_free(&r);
    char roster[120], body[1200];
    snprintf(roster, sizeof roster, "[{\"id_number\":\"%s\",\"name\":\"张三\"}]", trainee);
    th_class_body(body, sizeof body, "6-18-02-04", "2027-03-01", 30, roster);
    class_id = ok ? th_class_file(&d, inst, "bola-class", body) : 0;
    char sql[240];
    snprintf(sql, sizeof sql, "SELECT person_id FROM class_roster_entry WHERE class_id = %lld",
             class_id);
    person_id = class_id ? th_count(&pg, sql) : 0;
    /* a bulk review job of the city's approver, ended (its worker has nothing to decide) */
    job_id = th_count(&pg, "INSERT INTO review_job (token_id, regions, action, selection, state,"
                           " total, request_id, finished_at) SELECT id, regions, 'approve', '{}',"
                           " 'done', 1, 'bola', now() FROM token WHERE role = 'approver' AND"
                           " regions = '{330900}' ORDER BY id LIMIT 1 RETURNING id");
    /* the worker's objection (to their own claim: the row is what matters here) */
    snprintf(sql, sizeof sql,
             "INSERT INTO objection (claim_id, objector, reason, request_id) SELECT c.id, t.id,"
             " '异议', 'bola' FROM claim c JOIN token t ON t.subject = c.owner_subject"
             " WHERE c.id = %lld ORDER BY t.id LIMIT 1 RETURNING id",
             claim_id);
    objection_id = ok ? th_count(&pg, sql) : 0;
    if (!ok || !class_id || !objection_id) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("bola");
    TCase *tc = tcase_create("bola");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, every_route_on_an_object_has_its_rows);
    tcase_add_test(tc, another_tenants_objects_are_not_found);
    tcase_add_test(tc, the_owners_see_their_objects);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
