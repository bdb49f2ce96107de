/* API tier: authentication (S4), function-level authorization (S5) and the token lifecycle. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], applicant[64], institution[64], approver[64];

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

START_TEST(revoked_token_is_401_at_once)
{
    struct th_reply r = th_json(&d, "POST", "/v1/tokens", admin,
                                "{\"role\":\"applicant\",\"subject\":\"p-1001\",\"label\":\"t\"}");
    ck_assert_int_eq(r.status, 201);
    char tok[64];
    snprintf(tok, sizeof tok, "%s", json_string_value(json_object_get(r.json, "token")));
    long long id = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);

    r = th_http(&d, "GET", "/v1/me", tok, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "role")), "applicant");
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "subject")), "p-1001");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "token_id")), id);
    th_reply_free(&r);

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
    const char *body = "{\"role\":\"admin\"}";
    expect(th_json(&d, "POST", "/v1/tokens", applicant, body), 403, 2003);
    expect(th_json(&d, "POST", "/v1/tokens", institution, body), 403, 2003);
    expect(th_json(&d, "POST", "/v1/tokens", approver, body), 403, 2003);
    expect(th_http(&d, "GET", "/v1/tokens", institution, NULL, 0, NULL), 403, 2003);
    expect(th_http(&d, "DELETE", "/v1/tokens/1", applicant, NULL, 0, NULL), 403, 2003);
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
                "{\"role\":\"applicant\",\"subject\":\"p-1\",\"regions\":[\"330902\"]}");
    ck_assert_int_eq(r.status, 422);
    ck_assert(th_problem_has_field(&r, "regions"));
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
    th_token(&pg, "applicant", "p-1000", NULL, applicant);
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
    tcase_add_test(tc, list_is_paged_and_secret_free);
    tcase_add_test(tc, tokens_stored_hashed_never_logged);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
