/* API tier: authentication (S4), function-level authorization (S5) and the token lifecycle. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], applicant[64], enterprise[64], institution[64], approver[64];

static void expect(struct th_reply r, long status, int code)
{
    ck_assert_int_eq(r.status, status);
    if (code)
        ck_assert_int_eq(json_integer_value(json_object_get(r.json, "code")), code);
    if (status == 401)
        ck_assert_str_eq(th_header(&r, "www-authenticate"), "Bearer");
    th_reply_free(&r);
}

START_TEST(no_or_bad_token_is_401)
{
    expect(th_http(&d, "GET", "/v1/me", NULL, NULL, 0, NULL), 401, 2000);
    const char *basic[] = {"Authorization: Basic YWRtaW46YWRtaW4=", NULL};
    expect(th_http(&d, "GET", "/v1/me", NULL, NULL, 0, basic), 401, 2000);
    expect(th_http(&d, "GET", "/v1/me", "not-a-token", NULL, 0, NULL), 401, 2001);
    /* well-formed but unknown */
    expect(th_http(&d, "GET", "/v1/me", "sdt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, 0,
                   NULL),
           401, 2001);
    /* a token in the URL is never accepted */
    char path[128];
    snprintf(path, sizeof path, "/v1/me?access_token=%s", admin);
    expect(th_http(&d, "GET", path, NULL, NULL, 0, NULL), 401, 2000);
}
END_TEST

/* POST /v1/tokens with body: the secret into tok, its id returned; /v1/me then shows role
 * applicant and subject shown, for that id. */
static long long issue_applicant(const char *body, const char *shown, char tok[64])
{
    struct th_reply r = th_json(&d, "POST", "/v1/tokens", admin, body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "subject")), shown);
    snprintf(tok, 64, "%s", json_string_value(json_object_get(r.json, "token")));
    long long id = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/me", tok, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "role")), "applicant");
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "subject")), shown);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "token_id")), id);
    th_reply_free(&r);
    return id;
}

START_TEST(revoked_token_is_401_at_once)
{
    char tok[64];
    long long id = issue_applicant("{\"role\":\"applicant\",\"subject\":\"330902198001010070\","
                                   "\"label\":\"t\"}",
                                   "330902********0070", tok);

    char path[64];
    snprintf(path, sizeof path, "/v1/tokens/%lld", id);
    expect(th_http(&d, "DELETE", path, admin, NULL, 0, NULL), 204, 0);
    expect(th_http(&d, "GET", "/v1/me", tok, NULL, 0, NULL), 401, 2001);
    expect(th_http(&d, "DELETE", path, admin, NULL, 0, NULL), 204, 0); /* idempotent */
    expect(th_http(&d, "DELETE", "/v1/tokens/999999", admin, NULL, 0, NULL), 404, 1000);
    expect(th_http(&d, "DELETE", "/v1/tokens/abc", admin, NULL, 0, NULL), 404, 1000);
    expect(th_http(&d, "DELETE", "/v1/tokens/0", admin, NULL, 0, NULL), 404, 1000);
    expect(th_http(&d, "DELETE", "/v1/tokens/99999999999999999999", admin, NULL, 0, NULL), 404,
           1000);
}
END_TEST

START_TEST(expired_token_is_401)
{
    char tok[64];
    th_token(&pg, "enterprise", "91330900MA2A0B1C2D", NULL, tok);
    free(th_sql(&pg, "UPDATE token SET expires_at = now() - interval '1 second'"
                     " WHERE subject = '91330900MA2A0B1C2D'"));
    expect(th_http(&d, "GET", "/v1/me", tok, NULL, 0, NULL), 401, 2002);
}
END_TEST

START_TEST(wrong_role_is_403)
{
    /* the token endpoints are the admin's alone: every other role is refused on each */
    const char *body = "{\"role\":\"admin\"}";
    const char *others[] = {applicant, enterprise, institution, approver};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        expect(th_json(&d, "POST", "/v1/tokens", others[i], body), 403, 2003);
        expect(th_http(&d, "GET", "/v1/tokens", others[i], NULL, 0, NULL), 403, 2003);
        expect(th_http(&d, "DELETE", "/v1/tokens/1", others[i], NULL, 0, NULL), 403, 2003);
    }
    expect(th_http(&d, "GET", "/v1/tokens", admin, NULL, 0, NULL), 200, 0);
    /* the admin token still works, so nothing above was revoked */
    expect(th_http(&d, "GET", "/v1/me", admin, NULL, 0, NULL), 200, 0);
}
END_TEST

START_TEST(approver_regions_checked)
{
    struct th_reply r = th_json(&d, "POST", "/v1/tokens", admin,
                                "{\"role\":\"approver\",\"regions\":[\"330902\",\"330999\"]}");
    ck_assert_int_eq(r.status, 422);
    ck_assert(th_problem_has_field(&r, "regions[1]"));
    ck_assert(!th_problem_has_field(&r, "regions[0]"));
    th_reply_free(&r);

    r = th_json(&d, "POST", "/v1/tokens", admin,
                "{\"role\":\"applicant\",\"subject\":\"330902198001010054\","
                "\"regions\":[\"330902\"]}");
    ck_assert_int_eq(r.status, 422);
    ck_assert(th_problem_has_field(&r, "regions"));
    ck_assert(!th_problem_has_field(&r, "subject"));
    th_reply_free(&r);

    r = th_json(&d, "POST", "/v1/tokens", admin, "{\"role\":\"institution\"}");
    ck_assert_int_eq(r.status, 422);
    ck_assert(th_problem_has_field(&r, "subject"));
    th_reply_free(&r);

    r = th_json(&d, "POST", "/v1/tokens", admin,
                "{\"role\":\"approver\",\"regions\":[\"330902\",\"330903\"],"
                "\"expires_in_days\":7}");
    ck_assert_int_eq(r.status, 201);
    char tok[64];
    snprintf(tok, sizeof tok, "%s", json_string_value(json_object_get(r.json, "token")));
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/me", tok, NULL, 0, NULL);
    json_t *regions = json_object_get(r.json, "regions");
    ck_assert_int_eq(json_array_size(regions), 2);
    ck_assert_str_eq(json_string_value(json_array_get(regions, 1)), "330903");
    th_reply_free(&r);
}
END_TEST

/* An applicant is one person: the token's or account's subject is that person's ID number,
 * checked, kept only as its keyed hash (never a statement parameter, so never in the
 * PostgreSQL log), shown masked; the profile takes only that ID number. */
START_TEST(applicant_subject_is_the_id_number)
{
#define PERSON_17 "33090219800101002" /* the check character is X */
    free(th_sql(&pg, "ALTER SYSTEM SET log_statement = 'all'"));
    free(th_sql(&pg, "SELECT pg_reload_conf()"));
    /* a lower-case x is the same ID number */
    char tok[64];
    long long id = issue_applicant("{\"role\":\"applicant\",\"subject\":\"" PERSON_17 "x\"}",
                                   "330902********002X", tok);
    struct th_reply r;
    /* stored as the keyed hash, the very one the person's row will hold */
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM token WHERE id = %lld AND subject ~ '^[0-9a-f]{64}$'"
             " AND subject_masked = '330902********002X'",
             id);
    ck_assert_int_eq(th_count(&pg, sql), 1);

    /* anything else is refused */
    const char *bad[] = {"p-1", "330902198001010021", "33090219800101002Y"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char body[128];
        snprintf(body, sizeof body, "{\"role\":\"applicant\",\"subject\":\"%s\"}", bad[i]);
        r = th_json(&d, "POST", "/v1/tokens", admin, body);
        ck_assert_msg(r.status == 422, "%s: %ld %s", bad[i], r.status, r.body);
        ck_assert(th_problem_has_field(&r, "subject"));
        th_reply_free(&r);
        snprintf(body, sizeof body, "{\"name\":\"某\",\"role\":\"applicant\",\"subject\":\"%s\"}",
                 bad[i]);
        r = th_write(&d, "POST", "/v1/admin/accounts", admin, bad[i], body);
        ck_assert_msg(r.status == 422, "%s: %ld %s", bad[i], r.status, r.body);
        ck_assert(th_problem_has_field(&r, "subject"));
        th_reply_free(&r);
    }

    /* the account of the same person: one subject, whichever way the x is written */
    r = th_write(&d, "POST", "/v1/admin/accounts", admin, "app-acc-1",
                 "{\"name\":\"李某\",\"role\":\"applicant\",\"subject\":\"" PERSON_17 "X\"}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "subject")), "330902********002X");
    th_reply_free(&r);
    r = th_write(&d, "POST", "/v1/admin/accounts", admin, "app-acc-2",
                 "{\"name\":\"李某\",\"role\":\"applicant\",\"subject\":\"" PERSON_17 "x\"}");
    ck_assert_msg(r.status == 409, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "code")), 2010);
    th_reply_free(&r);
    const char *lists[] = {"/v1/admin/accounts?role=applicant", "/v1/tokens?limit=200"};
    for (int i = 0; i < 2; i++) {
        r = th_http(&d, "GET", lists[i], admin, NULL, 0, NULL);
        ck_assert_int_eq(r.status, 200);
        ck_assert_ptr_nonnull(strstr(r.body, "330902********002X"));
        ck_assert_ptr_null(strstr(r.body, PERSON_17));
        th_reply_free(&r);
    }

    /* the profile: only the person's own ID number */
    r = th_write(&d, "PUT", "/v1/profile", tok, "app-pf-1",
                 "{\"id_number\":\"330902198001010089\",\"name\":\"李某\"}");
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert(th_problem_has_field(&r, "id_number"));
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM person"), 0);
    r = th_write(&d, "PUT", "/v1/profile", tok, "app-pf-2",
                 "{\"id_number\":\"" PERSON_17 "X\",\"name\":\"李某\"}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM person p JOIN token t ON t.subject = p.owner_subject"
             " WHERE t.id = %lld AND p.owner_subject = encode(p.id_hash, 'hex')",
             id);
    ck_assert_int_eq(th_count(&pg, sql), 1);

    /* every statement above was logged with its parameters; the ID number is in none */
    char log[320];
    snprintf(log, sizeof log, "%s/postgres.log", pg.dir);
    ck_assert(th_log_wait(&d, "\"route\":\"/v1/profile\"", 2.0));
    ck_assert(th_file_contains(log, "parameters: $1 = "));
    ck_assert(th_file_contains(log, "李某")); /* a plain parameter, the account's name, is there */
    ck_assert(!th_file_contains(log, PERSON_17));
    ck_assert(!th_log_contains(&d, PERSON_17));
    free(th_sql(&pg, "ALTER SYSTEM RESET log_statement"));
    free(th_sql(&pg, "SELECT pg_reload_conf()"));
#undef PERSON_17
}
END_TEST

START_TEST(list_is_paged_and_secret_free)
{
    long long after = 0;
    int pages = 0, seen = 0;
    for (;;) {
        char path[96];
        snprintf(path, sizeof path, "/v1/tokens?limit=2&after=%lld", after);
        struct th_reply r = th_http(&d, "GET", path, admin, NULL, 0, NULL);
        ck_assert_int_eq(r.status, 200);
        ck_assert_ptr_null(strstr(r.body, "sdt_"));
        ck_assert_ptr_null(strstr(r.body, "hash"));
        json_t *items = json_object_get(r.json, "items");
        ck_assert_int_le(json_array_size(items), 2);
        seen += (int)json_array_size(items);
        pages++;
        json_t *next = json_object_get(r.json, "next_after");
        if (json_is_null(next)) {
            th_reply_free(&r);
            break;
        }
        ck_assert_int_gt(json_integer_value(next), after);
        after = json_integer_value(next);
        th_reply_free(&r);
    }
    char *n = th_sql(&pg, "SELECT count(*) FROM token");
    ck_assert_int_eq(seen, atoi(n));
    ck_assert_int_ge(pages, 2);
    free(n);
}
END_TEST

START_TEST(tokens_stored_hashed_never_logged)
{
    char *n = th_sql(&pg, "SELECT count(*) FROM token WHERE encode(hash, 'escape') LIKE 'sdt_%'");
    ck_assert_str_eq(n, "0");
    free(n);
    /* the daemon's log has seen all the tokens above in headers and replies */
    ck_assert(!th_log_contains(&d, admin));
    ck_assert(!th_log_contains(&d, applicant));
    ck_assert(!th_log_contains(&d, "sdt_"));
    ck_assert(th_log_wait(&d, "\"principal\":", 2.0));
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_token(&pg, "applicant", "330902198001010046", NULL, applicant);
    th_token(&pg, "enterprise", "91330900MA28K1234U", NULL, enterprise);
    th_token(&pg, "institution", "12330900MB0000000X", NULL, institution);
    th_token(&pg, "approver", NULL, "330902", approver);

    Suite *s = suite_create("auth");
    TCase *tc = tcase_create("tokens");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, no_or_bad_token_is_401);
    tcase_add_test(tc, revoked_token_is_401_at_once);
    tcase_add_test(tc, expired_token_is_401);
    tcase_add_test(tc, wrong_role_is_403);
    tcase_add_test(tc, approver_regions_checked);
    tcase_add_test(tc, applicant_subject_is_the_id_number);
    tcase_add_test(tc, list_is_paged_and_secret_free);
    tcase_add_test(tc, tokens_stored_hashed_never_logged);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
